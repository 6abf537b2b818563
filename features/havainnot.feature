# language: fi
Ominaisuus: Havainnot, joihin asiakas voi tarttua
  Ristiriidat kootaan havainnoiksi, yksi kutakin juurisyytä kohden: kaikilta edellytetty malli,
  joka sopii huonosti usean yksikön toimintatapaan, on yksi havainto, ja saman ylemmän yksikön
  alla eri leireihin jakautuvat yksiköt ovat yksi havainto mallia kohden, olipa yksiköitä kuinka
  monta tahansa (S-C6, S-C7). Vakavuus seuraa näytön määrää: heikko sopimattomuus on lievä,
  pääasiallisesta toimintatavasta samaa mieltä oleva strategia on painotuksen muutos ja kahden
  vastaajan arvio on heikompaa näyttöä kuin kolmen (S-C4). Havainto nimetään pysyvällä
  tunnisteella, ja luvut näytetään kahdella desimaalilla, suomeksi pilkulla.

  Tapaus: Konsernin kaikilta edellyttämä tuloskortti sopii huonosti kahdelle laboratoriolle: yksi havainto, joka nimeää molemmat
    Oletetaan yksikkö "group", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö "plant" yksikön "group" alla, jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö "lab-a" yksikön "group" alla, jonka piirteet ovat:
      | piirre                       | arvo          |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | experimentation              | 5             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 70            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    Ja yksikkö "lab-b" yksikön "group" alla, jonka piirteet ovat:
      | piirre                       | arvo          |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | experimentation              | 5             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 70            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    Ja organisaatio edellyttää malleja "balanced_scorecard"
    Kun yksiköt arvioidaan suomeksi
    Niin havaitaan 1 ristiriita "measurement_misfit"
    Ja havainto "measurement_misfit:balanced_scorecard" nimeää yksiköt "lab-a, lab-b"
    Ja havainnon "measurement_misfit:balanced_scorecard" vakavuus on vakava
    Ja havainto "measurement_misfit:balanced_scorecard" mainitsee "mutta se sopii huonosti yksiköiden lab-a ja lab-b toimintatapaan"
    Ja havainto "measurement_misfit:balanced_scorecard" mainitsee "lab-b: sopivuus -0,80; huonon sopivuuden aiheuttaa tuote-/palvelukehityslähtöinen toimintatapa, jonka osuus on 1,00"
    Ja havainto "measurement_misfit:balanced_scorecard" viittaa lähteeseen "S-D12"

  Tapaus: Yksi laboratorio saa havainnon yksikössä, ei yksiköissä
    Oletetaan yksikkö "group", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö "lab" yksikön "group" alla, jonka piirteet ovat:
      | piirre                       | arvo          |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | experimentation              | 5             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 70            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    Ja yksikkö käyttää malleja "balanced_scorecard"
    Kun yksiköt arvioidaan suomeksi
    Niin havainto "measurement_misfit:balanced_scorecard" nimeää yksiköt "lab"
    Ja havainto "measurement_misfit:balanced_scorecard" mainitsee "on käytössä yksikössä lab, jonka toimintatapaan se sopii huonosti"
    Ja havainto "measurement_misfit:balanced_scorecard" mainitsee "lab: jaksoluvut kuvaavat todellista tilannetta 2/5"

  Tapaus: Tehtaat ja laboratoriot saman konsernin alla ovat yksi havainto kutakin konsernin käyttämää mallia kohden, vaikka yksiköitä on monta
    Oletetaan yksikkö "group", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö käyttää malleja "balanced_scorecard, resource_steering"
    Ja yksikkö "plant-1" yksikön "group" alla, jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö "plant-2" yksikön "group" alla, jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikkö "lab-1" yksikön "group" alla, jonka piirteet ovat:
      | piirre                       | arvo          |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | experimentation              | 5             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 70            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    Ja yksikkö "lab-2" yksikön "group" alla, jonka piirteet ovat:
      | piirre                       | arvo          |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | experimentation              | 5             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 70            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    Kun yksiköt arvioidaan suomeksi
    Niin havaitaan 2 ristiriitaa "unit_mode_conflict"
    Ja havainto "units_split_on_model:group:balanced_scorecard" nimeää yksiköt "group, lab-1, lab-2, plant-1, plant-2"
    Ja havainto "units_split_on_model:group:balanced_scorecard" mainitsee "malli Tasapainotettu mittaristo (BSC) sopii niistä 3 yksikölle mutta huonosti 2 yksikölle"
    Ja havainto "units_split_on_model:group:balanced_scorecard" mainitsee "lab-1 (Tuote-/palvelukehityslähtöinen): sopivuus -0,80"
    Ja havainnon "units_split_on_model:group:balanced_scorecard" vakavuus on vakava
    Ja havainnon "units_split_on_model:group:resource_steering" vakavuus on kohtalainen

  Tapaus: Strategia, joka pitää tuotannon pääasiallisena toimintatapana, on tehtaalle lievä painotuksen muutos eikä ristiriita
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikön strategian mukainen järjestys on "production, customer_service"
    Kun yksikkö arvioidaan suomeksi
    Niin havainnon "strategy_mode_shifts_from_current:plant" vakavuus on lievä
    Ja havainto "strategy_mode_shifts_from_current:plant" mainitsee "painotuksen muutos, ei ristiriita"
    Ja havainto "strategy_mode_shifts_from_current:plant" mainitsee "Tuotantolähtöinen: nykyinen 1,00, strategian mukainen 0,75 (ero 0,25)"
    Ja havaintoa "strategy_mode_crosses_current:plant" ei löydy

  Tapaus: Tehdas, jonka johto toivoo pääasiassa asiakaspalvelua, saa kohtalaisen havainnon: toive on strategiaa heikompi
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja yksikön tavoiteltu toimintatapa on:
      | toimintatapa     | paino |
      | production       | 40    |
      | customer_service | 60    |
    Kun yksikkö arvioidaan suomeksi
    Niin havainnon "desired_mode_crosses_current:plant" vakavuus on kohtalainen
    Ja havainto "desired_mode_crosses_current:plant" mainitsee "Asiakaspalvelulähtöinen: nykyinen 0,00, tavoiteltu 0,60 (ero 0,60)"

  Tapaus: Kaksi johtajaa, jotka pitävät tehdasta asiakaspalvelulähtöisenä, on lievä havainto: kaksi vastausta on heikkoa näyttöä
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja vastaajat arvioivat yksikön:
      | vastaaja | customer_service |
      | ceo      | 5                |
      | cfo      | 4                |
    Kun yksikkö arvioidaan suomeksi
    Niin havainnon "central_in_words_not_in_traits:plant" vakavuus on lievä
    Ja havainto "central_in_words_not_in_traits:plant" mainitsee "arvioitu keskeiseksi (2 vastaajaa), paino piirteissä 0,00"
    Ja havainto "central_in_words_not_in_traits:plant" mainitsee "Alle 3 vastaajan lukuja ei näytetä vastaajien nimettömyyden suojaamiseksi"

  Tapaus: Kolmas samoin vastaava johtaja tekee havainnosta kohtalaisen
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja vastaajat arvioivat yksikön:
      | vastaaja | customer_service |
      | ceo      | 5                |
      | cfo      | 4                |
      | coo      | 5                |
    Kun yksikkö arvioidaan suomeksi
    Niin havainnon "central_in_words_not_in_traits:plant" vakavuus on kohtalainen
    Ja havainto "central_in_words_not_in_traits:plant" mainitsee "arvio 4,67 (3 vastaajaa)"
    Ja itsearvion luvut näytetään

  Tapaus: Organisaatio, joka on luvannut vastaajilleen vähintään viiden hengen ryhmät, ei näe kolmen johtajan arvioita, mutta havainto tehdään silti
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
    Ja vastaajat arvioivat yksikön:
      | vastaaja | customer_service |
      | ceo      | 5                |
      | cfo      | 4                |
      | coo      | 5                |
    Ja organisaatio lupaa vastaajilleen vähintään 5 vastaajan ryhmät
    Kun yksikkö arvioidaan suomeksi
    Niin havainnon "central_in_words_not_in_traits:plant" vakavuus on kohtalainen
    Ja havainto "central_in_words_not_in_traits:plant" mainitsee "arvioivat asiakaspalvelulähtöisen toimintatavan keskeiseksi, mutta"
    Ja havainto "central_in_words_not_in_traits:plant" mainitsee "Alle 5 vastaajan lukuja ei näytetä vastaajien nimettömyyden suojaamiseksi"
    Ja itsearvion luvut jätetään näyttämättä

  Tapaus: Tehdas, joka on hieman sivussa tuotantolähtöisestä ihanteesta, pitää tuloskorttinsa eikä ristiriitoja synny
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
      | experimentation              | 4           |
    Ja yksikkö käyttää malleja "balanced_scorecard, financial_time_series"
    Kun yksikkö arvioidaan suomeksi
    Niin hallitseva toimintatapa on "production"
    Ja "balanced_scorecard" suositellaan
    Ja ristiriitoja ei havaita

  Tapaus: Vain vähän huonosti sopiva tyytyväisyyskysely (alle avoid_min) ei ole havainto
    Oletetaan yksikkö "plant", jonka piirteet ovat:
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
      | uncertainty_level            | 2           |
      | daily_flex_to_customer       | 4           |
    Ja yksikkö käyttää malleja "customer_satisfaction_survey"
    Kun yksikkö arvioidaan suomeksi
    Niin "customer_satisfaction_survey" ei tarvitse välttää
    Ja ristiriitoja ei havaita

  Tapaus: Kolme johtajaa, jotka arvioivat tuotannon asteikon vastakkaisiin päihin, eivät anna puristamon yhteistä näkemystä, ja itsearvio on kiistanalainen
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
    Ja vastaajat arvioivat yksikön:
      | vastaaja | production |
      | ceo      | 5          |
      | cfo      | 1          |
      | coo      | 1          |
    Kun yksikkö arvioidaan suomeksi
    Niin havaitaan 1 ristiriita "respondent_disagreement"
    Ja havainnon "respondents_disagree_on_mode:puristamo" vakavuus on kohtalainen
    Ja havainto "respondents_disagree_on_mode:puristamo" mainitsee "vastaajat ovat eri mieltä siitä, kuinka keskeinen tuotantolähtöinen toimintatapa on"
    Ja havainto "respondents_disagree_on_mode:puristamo" mainitsee "Tuotantolähtöinen: 3 vastaajaa, rwg 0,00, konsensus"
    Ja havainto "respondents_disagree_on_mode:puristamo" viittaa lähteeseen "S-C4"
    Ja itsearvio on kiistanalainen
    Ja itsearvion luvut näytetään
