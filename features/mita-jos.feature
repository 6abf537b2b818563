# language: fi
Ominaisuus: Mitä jos, miksi ei ja kuinka vakiintunut: neuvoja, joiden mukaan johto voi toimia
  Mitä jos -kysymys muuttaa vain sitä, mihin johto voi vaikuttaa: ensin käytössä olevia ja
  organisaation edellyttämiä malleja, sitten johtamiskäytäntöjä (ohjauskeinoja). Yksikön
  olosuhteet (sektori, laissa määrätty tehtävä, markkinat, asiakkaiden odotukset) ja tilannetta
  kuvaavat signaalit muuttuvat vain pyydettäessä. Eri toimintatavat vaativat erilaista ohjausta ja
  mittaamista (S-C6); tasapainotettu mittaristo ei tue projektityötä (S-D12), jota seurataan
  välitavoitteilla (S-D13).

  Tapaus: Mittaristolla seurattavalle kehitysyksikölle tarjotaan ensin mallin vaihtoa
    Oletetaan organisaatiotiedosto "../examples/manufacturer.yaml"
    Kun kysytään, mikä veisi yksikön "rnd" pois havainnosta "measurement_misfit"
    Niin ensimmäinen korjaus korvaa mallin "balanced_scorecard" mallilla "milestone_project_followup"
    Ja jokin korjaus luopuu mallista "balanced_scorecard"
    Ja jokainen korjaus poistaa havainnon "measurement_misfit:balanced_scorecard"
    Ja jokainen korjaus muuttaa vain ohjauskeinoja ja malleja

  Tapaus: Yksikkö vapautetaan organisaation edellyttämästä mittaristosta
    Oletetaan organisaatiotiedosto "../examples/electricity-distribution.yaml"
    Kun kysytään, mikä veisi yksikön "digital-team" pois havainnosta "measurement_misfit:balanced_scorecard"
    Niin ensimmäinen korjaus vapauttaa yksikön mallista "balanced_scorecard"

  Tapaus: Yksikkö irtautuu mallia koskevasta vastakkainasettelusta vaihtamalla mallia, ja korjaus kertoo, mitä se synnyttää
    Oletetaan organisaatiotiedosto "../examples/electricity-distribution.yaml"
    Kun kysytään, mikä veisi yksikön "grid-operations" pois havainnosta "units_split_on_model:group:resource_steering"
    Niin ensimmäinen korjaus korvaa mallin "resource_steering" mallilla "continuity_leadership"
    Ja jokainen korjaus poistaa havainnon "units_split_on_model:group:resource_steering"
    Ja ensimmäinen korjaus synnyttää havainnon "units_split_on_model:group:continuity_leadership"

  Tapaus: Lakisääteistä palvelua ei kehoteta kilpailemaan hinnalla, jotta luvut sopisivat
    Oletetaan organisaatiotiedosto "../examples/municipality.yaml"
    Kun kysytään, mikä veisi yksikön "social-health" pois havainnosta "measurement_misfit"
    Niin mikään korjaus ei muuta piirrettä "cost_focus"
    Ja mikään korjaus ei muuta piirrettä "customer_value_basis"
    Ja jokin korjaus luopuu mallista "financial_time_series"

  Tapaus: Ristiriitaiset näkemykset poistuvat, kun kerrotaan, minkä näkymän pitäisi muuttua
    Oletetaan organisaatiotiedosto "../examples/city-library.yaml"
    Kun kysytään, mikä veisi yksikön "library" pois havainnosta "perspective_conflict"
    Niin jokin korjaus siirtää näkymän "strategian mukainen" toimintatapaan "public_administration"
    Ja jokin korjaus siirtää näkymän "tavoiteltu" toimintatapaan "public_administration"

  Tapaus: Toimintatapaan päästään johtamiskäytännöillä, ei olosuhteita muuttamalla
    Oletetaan organisaatiotiedosto "../examples/municipality.yaml"
    Kun kysytään, mikä tekisi toimintatavasta "customer_service" yksikön "social-health" hallitsevan
    Niin jokin korjaus muuttaa piirteen "feedback_reaction_speed" arvoon "4"
    Ja jokainen korjaus muuttaa vain ohjauskeinoja ja malleja
    Ja mikään korjaus ei muuta piirrettä "daily_flex_to_customer"

  Tapaus: Olosuhde muuttuu vain, kun sen muuttaminen sallitaan
    Oletetaan yksikkö "konepaja", jonka piirteet ovat:
      | piirre                     | arvo    |
      | sector                     | private |
      | aims_at_surplus            | true    |
      | established_way_of_working | 4       |
      | cost_focus                 | 4       |
      | resource_based_steering    | 4       |
      | own_business_followup      | 4       |
      | risk_taking_accepted       | true    |
      | experimentation            | 4       |
      | project_work_share         | 50      |
      | milestone_structured_work  | 4       |
      | goal_clarity               | 3       |
      | uncertainty_level          | 3       |
    Ja kysymys saa muuttaa myös piirteitä "project_work_share"
    Kun kysytään, mikä tekisi toimintatavasta "production" yksikön "konepaja" hallitsevan
    Niin jokin korjaus muuttaa piirteen "project_work_share" arvoon "49.999999"

  Tapaus: Mikään johdon keino ei tee projektityöstä tuotantoa
    Oletetaan organisaatiotiedosto "../examples/manufacturer.yaml"
    Kun kysytään, mikä tekisi toimintatavasta "production" yksikön "rnd" hallitsevan
    Niin korjausta ei löydy

  Tapaus: Miksi mittaristoa ei suositella projektityöhön
    Oletetaan organisaatiotiedosto "../examples/manufacturer.yaml"
    Kun kysytään, miksi "balanced_scorecard" ei käy yksikölle "rnd"
    Niin vastauksen mukaan toimintatapa "development" painaa enemmän
    Ja vastauksen mukaan sääntö "profitability_first" ei täyttynyt, koska piirteen "profitability_before_growth" ehto ei täyty
    Ja vastauksen mukaan säännön "cost_leadership" piirrettä "cost_focus" ei ole havaittu

  Tapaus: Tehtaan ja tuotekehityksen toimintatavat ovat vakiintuneita, niukasti kuvatun konsernijohdon avoin
    Oletetaan organisaatiotiedosto "../examples/manufacturer.yaml"
    Kun tarkistetaan, kuinka vakiintunut yksikön "plant" tulos on
    Niin hallitseva toimintatapa on vakiintunut
    Kun tarkistetaan, kuinka vakiintunut yksikön "rnd" tulos on
    Niin hallitseva toimintatapa on vakiintunut
    Kun tarkistetaan, kuinka vakiintunut yksikön "group" tulos on
    Niin hallitseva toimintatapa on avoin, ja "customer_service" voisi nousta hallitsevaksi
