# language: fi
Ominaisuus: Julkishallinnollisen yksikön johtaminen ja mittaaminen
  Julkishallinnollisessa toimintatavassa keskeistä on usein laeilla ja säädöksillä määritelty
  perustehtävä ja sen tehokas hoitaminen, ei toiminnan ylijäämä (S-G1). Tavoitteet asetetaan
  perustehtävälle (S-G2). Myös julkiset palvelut ovat siirtymässä tuotantolähtöisestä kohti
  kehitys- ja asiakaslähtöisiä toimintatapoja (S-G3).

  Tapaus: Kunnan rakennusvalvonta, jonka tehtävä on laissa, asettaa tavoitteensa perustehtävälle eikä ylijäämälle
    Oletetaan yksikkö "rakennusvalvonta", jonka piirteet ovat:
      | piirre                       | arvo                    |
      | sector                       | public                  |
      | basic_task_set_by_law        | true                    |
      | aims_at_surplus              | false                   |
      | publicly_funded              | true                    |
      | goals_set_for_basic_task     | 5                       |
      | goal_clarity                 | 4                       |
      | mission_based_promise        | 4                       |
      | stabilising_leadership       | 3                       |
      | uncertainty_level            | 3                       |
      | periodic_figures_informative | 3                       |
      | customer_value_basis         | [statutory_entitlement] |
    Ja yksikkö käyttää malleja "financial_time_series"
    Kun yksikkö arvioidaan suomeksi
    Niin hallitseva toimintatapa on "public_administration"
    Ja "basic_task_goal_setting" on 1 kärkisuosituksen joukossa
    Ja "financial_time_series" tulee välttää, vaikka se on käytössä
    Ja sääntö "statutory_basic_task" täyttyi
    Ja neuvo viittaa lähteeseen "S-G2"
    Ja neuvo kuuluu: "kehityssuunta: kohti asiakaspalvelulähtöistä toimintatapaa (S-G3)"
    Ja neuvo kuuluu: "on nyt käytössä, mutta sopii huonosti yksikön toimintatapaan (pisteet -0,15)"
    Ja havaitaan ristiriita "measurement_misfit"
