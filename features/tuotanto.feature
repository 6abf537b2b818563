# language: fi
Ominaisuus: Tuotantolähtöisen yksikön johtaminen ja mittaaminen
  Tuotantolähtöinen yksikkö kilpailee kustannuksilla ja asiakkaalle optimaalisella suorituksella.
  Sen toimintatavat ovat vakiintuneet, johto seuraa omaa liiketoimintaa tarkasti ja asettaa
  kannattavuuden kasvun edelle (S-P1, S-P2, S-P3). Tavoitteet voidaan asettaa selkeästi, joten
  tasapainotettu mittaristo toimii suhteellisen hyvin (S-P6), ja suoritusta johdetaan
  resursseja ohjaamalla (S-P7).

  Tapaus: Vakiintunut, kustannusjohtajuuteen pyrkivä puristamo pitää tuloskorttinsa ja taloudellisen seurantansa
    Oletetaan yksikkö "puristamo", jonka piirteet ovat:
      | piirre                       | arvo        |
      | sector                       | private     |
      | aims_at_surplus              | true        |
      | established_way_of_working   | 5           |
      | cost_focus                   | 5           |
      | own_business_followup        | 5           |
      | profitability_before_growth  | 4           |
      | innovation_type              | incremental |
      | stabilising_leadership       | 4           |
      | goal_clarity                 | 5           |
      | periodic_figures_informative | 4           |
      | resource_based_steering      | 5           |
      | output_standardisation       | 5           |
      | uncertainty_level            | 2           |
    Ja yksikkö käyttää malleja "balanced_scorecard, financial_time_series"
    Kun yksikkö arvioidaan suomeksi
    Niin hallitseva toimintatapa on "production"
    Ja profiili ei ole sekaprofiili
    Ja "resource_steering" on 1 kärkisuosituksen joukossa
    Ja "balanced_scorecard" suositellaan
    Ja "financial_time_series" suositellaan
    Ja "milestone_project_followup" ei suositella
    Ja sääntö "clear_measurable_goals" täyttyi
    Ja neuvo viittaa lähteeseen "S-P6"
    Ja neuvo kuuluu: "toimintatapa: Tuotantolähtöinen (1,00)"
    Ja neuvo kuuluu: "+0,90  mittausmalli    Tasapainotettu mittaristo (BSC)  [käytössä]"
    Ja ristiriitoja ei havaita
