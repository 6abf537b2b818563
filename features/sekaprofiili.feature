# language: fi
Ominaisuus: Sekaprofiilit ja toimintatavan näyttö
  Organisaatiot ja yksiköt ovat yleensä arkkityyppisten toimintatapojen yhdistelmiä (S-C7), ja
  ihmisten mielikuvat toimintatavoista poikkeavat toisistaan (S-C4). Siksi toimintatapa
  nimetään vain riittävän havaitun näytön perusteella, sekaprofiilissa molempia toimintatapoja
  painotetaan, eikä sääntö täyty arvauksesta vaan vain havaitusta piirteestä.

  Tapaus: Konepaja, joka on puoliksi sarjatuotantoa ja puoliksi kehitysprojekteja, on sekaprofiili eikä sitä ohjata kohti tuloskorttia
    Oletetaan yksikkö "konepaja", jonka piirteet ovat:
      | piirre                      | arvo    |
      | sector                      | private |
      | aims_at_surplus             | true    |
      | established_way_of_working  | 4       |
      | cost_focus                  | 4       |
      | resource_based_steering     | 4       |
      | own_business_followup       | 4       |
      | profitability_before_growth | 3       |
      | risk_taking_accepted        | true    |
      | experimentation             | 4       |
      | project_work_share          | 50      |
      | milestone_structured_work   | 4       |
      | goal_clarity                | 3       |
      | uncertainty_level           | 3       |
    Ja yksikkö käyttää malleja "balanced_scorecard"
    Kun yksikkö arvioidaan suomeksi
    Niin profiili on sekaprofiili
    Ja "balanced_scorecard" ei suositella
    Ja "balanced_scorecard" ei tarvitse välttää
    Ja "milestone_project_followup" suositellaan
    Ja "resource_steering" suositellaan
    Ja neuvo kuuluu: "ovat lähes tasoissa (ero alle 0,10); neuvot painottavat molempia"

  Tapaus: Myyntikonttori, josta tiedetään vain kannattavuuden ensisijaisuus ja kustannuksilla kilpailu, ei anna riittävää näyttöä toimintatavan nimeämiseen
    Oletetaan yksikkö "myyntikonttori", jonka piirteet ovat:
      | piirre                      | arvo |
      | profitability_before_growth | 5    |
      | cost_focus                  | 5    |
    Ja yksikkö käyttää malleja "balanced_scorecard"
    Kun yksikkö arvioidaan suomeksi
    Niin näyttö ei riitä toimintatavan nimeämiseen
    Ja "balanced_scorecard" ei suositella
    Ja sääntö "cost_leadership" täyttyi
