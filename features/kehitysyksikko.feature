# language: fi
Ominaisuus: Tuotekehitysyksikön johtaminen ja mittaaminen
  Tuote- ja palvelukehityskeskeinen yksikkö toimii projekteissa, joiden lopputulosta ei tiedetä
  etukäteen. Tasapainotettu mittaristo ei tue tällaista toimintaa hyvin (S-D12), vaan seurannan
  tulee perustua virstanpylväisiin ja rohkeuteen lopettaa projekteja (S-D11, S-D13).

  Tapaus: Projektimainen kehitysyksikkö, jota seurataan tasapainotetulla mittaristolla
    Oletetaan yksikkö "tuotekehitys", jonka piirteet ovat:
      | piirre               | arvo          |
      | experimentation      | 5             |
      | risk_taking_accepted | true          |
      | innovation_type      | new_offerings |
      | project_work_share   | 85            |
      | work_variability     | 5             |
      | vision_challenge     | 5             |
      | uncertainty_level    | 4             |
      | ideation_activity    | 5             |
    Ja yksikkö käyttää malleja "balanced_scorecard"
    Kun yksikkö arvioidaan
    Niin hallitseva toimintatapa on "development"
    Ja "milestone_project_followup" suositellaan
    Ja "balanced_scorecard" tulee välttää, vaikka se on käytössä
    Ja neuvo viittaa lähteeseen "S-D12"

  Tapaus: Tuotantolähtöinen konserni ja sen kehitysyksikkö tarvitsevat vastakkaisia malleja
    Oletetaan organisaatiotiedosto "../examples/manufacturer.yaml"
    Kun organisaatio arvioidaan
    Niin yksikön "plant" hallitseva toimintatapa on "production"
    Ja yksikön "rnd" hallitseva toimintatapa on "development"
    Ja havaitaan ristiriita "unit_mode_conflict"
    Ja havaitaan ristiriita "measurement_misfit"
    Ja ristiriitaa "say_do_mismatch" ei havaita

  Tapaus: Pelkkä projektityön osuus ei riitä toimintatavan nimeämiseen
    Oletetaan yksikkö "projektitoimisto", jonka piirteet ovat:
      | piirre             | arvo |
      | project_work_share | 90   |
    Kun yksikkö arvioidaan
    Niin näyttö ei riitä toimintatavan nimeämiseen
    Ja "milestone_project_followup" ei suositella
    Ja ristiriitoja ei havaita
