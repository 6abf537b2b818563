# language: fi
Ominaisuus: Asiakaspalvelulähtöisen yksikön johtaminen ja mittaaminen
  Asiakaspalvelulähtöinen yksikkö joustaa toimintatavoissaan ja tuotoksessaan asiakkaiden
  tarpeiden mukaan jopa päivittäin ja pitää yksilöllisen asiakaslupauksen, jonka se pystyy
  lunastamaan (S-S1, S-S2). Uskollisuus menee jopa hieman tyytyväisyyden edelle (S-S4);
  asiakaspalautejärjestelmät ja nopea reagointi tukevat johtamista (S-S6), kun taas talouden ja
  tuottavuuden seuranta laahaa jäljessä (S-S7). Asiakas ei aina odota asiakaspalvelulähtöistä
  mallia vaan esimerkiksi hyvin toimivaa tuotantolähtöistä (S-S11).

  Tapaus: Avainasiakastiimiä, joka seuraa tyytyväisyyskyselyä, neuvotaan mittaamaan uskollisuutta
    Oletetaan yksikkö "avainasiakkaat", jonka piirteet ovat:
      | piirre                       | arvo                                        |
      | sector                       | private                                     |
      | aims_at_surplus              | true                                        |
      | daily_flex_to_customer       | 4                                           |
      | output_standardisation       | 2                                           |
      | individual_customer_promise  | 5                                           |
      | exceeding_expectations       | 5                                           |
      | relationship_before_delivery | 5                                           |
      | feedback_reaction_speed      | 4                                           |
      | customer_view_checked        | 4                                           |
      | whole_customer_experience    | 3                                           |
      | customer_value_basis         | [exceeding_expectations, long_relationship] |
    Ja yksikkö käyttää malleja "customer_satisfaction_survey"
    Kun yksikkö arvioidaan suomeksi
    Niin hallitseva toimintatapa on "customer_service"
    Ja "customer_loyalty_measurement" suositellaan
    Ja "customer_satisfaction_survey" tulee välttää, vaikka se on käytössä
    Ja sääntö "loyalty_by_exceeding" täyttyi
    Ja neuvo viittaa lähteeseen "S-S4"
    Ja havaitaan ristiriita "measurement_misfit"
    Ja neuvo kuuluu: "Korvatkaa yksikössä avainasiakkaat malli Asiakastyytyväisyyskysely sen toimintatavalle suositelluilla mittausmalleilla"

  Tapaus: Kiinteistöhuolto, jonka strategia asettaa asiakaspalvelun etusijalle, vaikka sen taloyhtiöasiakkaat odottavat luotettavaa vakiotoimitusta, neuvotaan selvittämään mitä asiakkaat arvostavat
    Oletetaan yksikkö "kiinteistohuolto", jonka piirteet ovat:
      | piirre                       | arvo                         |
      | sector                       | private                      |
      | aims_at_surplus              | true                         |
      | established_way_of_working   | 4                            |
      | cost_focus                   | 4                            |
      | output_standardisation       | 4                            |
      | resource_based_steering      | 4                            |
      | goal_clarity                 | 4                            |
      | periodic_figures_informative | 4                            |
      | uncertainty_level            | 2                            |
      | customers_expect             | production                   |
      | customer_value_basis         | [reliable_standard_delivery] |
    Ja yksikön strategian mukainen järjestys on "customer_service, development"
    Kun yksikkö arvioidaan suomeksi
    Niin hallitseva toimintatapa on "production"
    Ja havaitaan 1 ristiriita "customer_expectation_mismatch"
    Ja havainnon "customers_expect_production:kiinteistohuolto" vakavuus on kohtalainen
    Ja havainto "customers_expect_production:kiinteistohuolto" mainitsee "painottaa eniten asiakaspalvelulähtöistä toimintatapaa (näkymä: strategian mukainen)"
    Ja havainto "customers_expect_production:kiinteistohuolto" mainitsee "sen asiakkaat odottavat hyvin toimivaa tuotantolähtöistä mallia"
    Ja havainto "customers_expect_production:kiinteistohuolto" viittaa lähteeseen "S-S11"
