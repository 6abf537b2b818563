Feature: Conflicts a management team should see
  Different modes call for clearly different management and steering models, and an organisation
  that holds crossing views of its current, desired and strategy-chosen modes will see it in
  execution and in management (S-C6). Organisations are usually combinations of the modes, unit by
  unit (S-C7), and people hold differing pictures of the modes (S-C4). The advisor therefore flags
  related units that call for opposite models, measurement that misfits a unit's mode (S-D12,
  S-S7), crossing views of the mode, self-images that the traits do not bear out (S-C5), customers
  who expect a production model rather than customer service (S-S11), and respondents who do not
  share one view; and it stays silent where the units and views fit together.

  # --- unit_mode_conflict ----------------------------------------------------------------------

  Scenario: A group management that cascades its scorecard to a development lab is warned that the lab needs the opposite models
    Given a unit "group" with traits:
      | trait                        | value                                              |
      | sector                       | private                                            |
      | aims_at_surplus              | true                                               |
      | profitability_before_growth  | 4                                                  |
      | own_business_followup        | 5                                                  |
      | goal_clarity                 | 4                                                  |
      | periodic_figures_informative | 4                                                  |
      | cost_focus                   | 4                                                  |
      | established_way_of_working   | 4                                                  |
      | uncertainty_level            | 2                                                  |
      | customer_value_basis         | [reliable_standard_delivery, feature_improvements] |
    And the unit uses "balanced_scorecard"
    And a unit "lab" under "group" with traits:
      | trait                        | value         |
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
    When the units are assessed
    Then the dominant mode of "group" is "production"
    And the dominant mode of "lab" is "development"
    And there is a finding "units_split_on_model:group:balanced_scorecard"
    And the finding "units_split_on_model:group:balanced_scorecard" names "group, lab"
    And the finding "units_split_on_model:group:balanced_scorecard" is of high severity
    And the finding "units_split_on_model:group:balanced_scorecard" mentions "In group and the units directly under it, the modes differ so much that Balanced scorecard (BSC) suits 1 of them and fits 1 poorly"
    And the finding "units_split_on_model:group:balanced_scorecard" mentions "lab (Product/service-development-oriented): fit -0.80"
    And the finding "units_split_on_model:group:balanced_scorecard" cites "S-C7"
    And the finding "units_split_on_model:group:balanced_scorecard" cites "S-C6"
    And there is no "measurement_misfit" conflict

  Scenario: A plant and an R&D unit side by side in one business area should not be steered with one common model, though the business area itself takes no side
    Given a unit "business-area" with traits:
      | trait           | value   |
      | sector          | private |
      | aims_at_surplus | true    |
    And a unit "plant" under "business-area" with traits:
      | trait                        | value       |
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
    And the unit uses "financial_time_series"
    And a unit "rnd" under "business-area" with traits:
      | trait                        | value         |
      | sector                       | private       |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | shared_vision_effort         | 4             |
      | experimentation              | 4             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 80            |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
    When the units are assessed
    Then the dominant mode of "plant" is "production"
    And the dominant mode of "rnd" is "development"
    And there is a finding "units_split_on_model:business-area:financial_time_series"
    And the finding "units_split_on_model:business-area:financial_time_series" names "business-area, plant, rnd"
    And the finding "units_split_on_model:business-area:financial_time_series" is of medium severity
    And the finding "units_split_on_model:business-area:financial_time_series" mentions "Financial and productivity time series suits 1 of them and fits 1 poorly"
    And the finding "units_split_on_model:business-area:financial_time_series" cites "S-C7"

  # --- measurement_misfit ----------------------------------------------------------------------

  Scenario: A project-driven R&D lab that follows itself with a balanced scorecard is told its measurement misfits its mode
    Given a unit "rnd-lab" with traits:
      | trait                        | value         |
      | sector                       | private       |
      | aims_at_surplus              | true          |
      | risk_taking_accepted         | true          |
      | vision_challenge             | 5             |
      | shared_vision_effort         | 4             |
      | experimentation              | 4             |
      | uncertainty_level            | 4             |
      | ideation_activity            | 5             |
      | innovation_type              | new_offerings |
      | project_work_share           | 80            |
      | work_variability             | 4             |
      | milestone_structured_work    | 4             |
      | periodic_figures_informative | 2             |
      | goal_clarity                 | 2             |
    And the unit uses "balanced_scorecard"
    When the unit is assessed
    Then there is one "measurement_misfit" conflict for "rnd-lab"
    And the "measurement_misfit" conflict is of high severity
    And the "measurement_misfit" conflict mentions "Balanced scorecard (BSC)"
    And the "measurement_misfit" conflict cites "S-D12"

  Scenario: A balanced scorecard the organisation imposes on every unit misfits its development lab but not its production plant
    Given a unit "group" with traits:
      | trait           | value   |
      | sector          | private |
      | aims_at_surplus | true    |
    And a unit "plant" under "group" with traits:
      | trait                        | value       |
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
    And a unit "lab" under "group" with traits:
      | trait                        | value         |
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
    And the organisation imposes "balanced_scorecard"
    When the units are assessed
    Then there is one "measurement_misfit" conflict for "lab"
    And the "measurement_misfit" conflict is of high severity
    And the "measurement_misfit" conflict mentions "The organisation imposes Balanced scorecard (BSC) on every unit, but it fits the mode of lab poorly"
    And the "measurement_misfit" conflict mentions "lab: fit -0.80, a poor fit because of its Product/service-development-oriented share (1.00)"
    And the "measurement_misfit" conflict cites "S-D12"

  Scenario: A field-service unit whose main follow-up is financial time series is told those figures lag behind its customer work
    Given a unit "field-service" with traits:
      | trait                        | value              |
      | sector                       | private            |
      | aims_at_surplus              | true               |
      | daily_flex_to_customer       | 5                  |
      | output_standardisation       | 2                  |
      | work_variability             | 4                  |
      | relationship_before_delivery | 4                  |
      | feedback_reaction_speed      | 4                  |
      | staff_dependent_service      | 4                  |
      | periodic_figures_informative | 2                  |
      | established_way_of_working   | 3                  |
      | cost_focus                   | 3                  |
      | customer_value_basis         | [tailored_service] |
    And the unit uses "financial_time_series"
    When the unit is assessed
    Then the dominant mode is "customer_service"
    And there is one "measurement_misfit" conflict for "field-service"
    And the "measurement_misfit" conflict is of high severity
    And the "measurement_misfit" conflict mentions "Financial and productivity time series"
    And the "measurement_misfit" conflict cites "S-S7"

  # --- perspective_conflict --------------------------------------------------------------------

  Scenario: A cost-leading press shop whose management wants to be mainly customer-service-oriented is told to make the change explicit
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's desired mode is:
      | archetype        | weight |
      | production       | 40     |
      | customer_service | 60     |
    When the unit is assessed
    Then the dominant mode is "production"
    And there is one "perspective_conflict" conflict for "press-shop"
    And the "perspective_conflict" conflict is of medium severity
    And the "perspective_conflict" conflict mentions "desired 0.6"
    And the "perspective_conflict" conflict cites "S-C6"

  Scenario: A press shop whose strategy chooses customer service and development while it runs as production is told steering must follow the strategy
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's strategy ranking is "customer_service, development"
    When the unit is assessed
    Then there is one "perspective_conflict" conflict for "press-shop"
    And the "perspective_conflict" conflict is of high severity
    And the "perspective_conflict" conflict mentions "chooses Customer-service-oriented as its lead mode, but its traits show it leading with Production-oriented"
    And the "perspective_conflict" conflict mentions "Customer-service-oriented: current 0.00, strategy 0.75"

  Scenario: In a half-production, half-development engineering works, staff pulling towards development while the strategy pulls back to series production is a conflict even at a 0.5 threshold
    Given a unit "engineering-works" with traits:
      | trait                       | value   |
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
    And the unit's desired mode is:
      | archetype   | weight |
      | production  | 0.2    |
      | development | 0.8    |
    And the unit's strategy mode is:
      | archetype   | weight |
      | production  | 0.75   |
      | development | 0.25   |
    And the perspective threshold is 0.5
    When the unit is assessed
    Then the profile is mixed
    And there is one "perspective_conflict" conflict for "engineering-works"
    And the "perspective_conflict" conflict is of high severity
    And the "perspective_conflict" conflict mentions "people pull one way while the plan goes another"
    And the "perspective_conflict" conflict mentions "desired 0.80, strategy 0.25"

  Scenario: With a perspective threshold of 0.9, a wish to move towards customer service is not flagged as a conflict
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's desired mode is:
      | archetype        | weight |
      | production       | 40     |
      | customer_service | 60     |
    And the perspective threshold is 0.9
    When the unit is assessed
    Then there is no "perspective_conflict" conflict

  Scenario: A press shop with no stated desired or strategy-chosen mode raises no perspective conflict
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard, financial_time_series"
    When the unit is assessed
    Then there is no "perspective_conflict" conflict
    And there are no conflicts

  # --- say_do_mismatch -------------------------------------------------------------------------

  Scenario: A press shop whose two managers call it customer-service-oriented, though nothing in its traits shows it, is asked what they mean; two answers are weak evidence, so the finding is low
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | production | development | customer_service | public_administration |
      | ceo        | 4          |             | 5                |                       |
      | cfo        | 4          |             | 4                |                       |
    When the unit is assessed
    Then there is one "say_do_mismatch" conflict for "press-shop"
    And the "say_do_mismatch" conflict is of low severity
    And the "say_do_mismatch" conflict mentions "rate Customer-service-oriented as central, but its traits show little of that mode"
    And the "say_do_mismatch" conflict mentions "Figures of fewer than 3 respondents are withheld to protect their anonymity"
    And the "say_do_mismatch" conflict cites "S-C5"
    And there is no "respondent_disagreement" conflict
    And the self-assessment is not disputed

  Scenario: A press shop whose two managers agree that production is not central to them is shown its actual mode before models are chosen; with two answers the finding is low
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | production | development | customer_service | public_administration |
      | ceo        | 2          |             |                  |                       |
      | cfo        | 1          |             |                  |                       |
    When the unit is assessed
    Then there is one "say_do_mismatch" conflict for "press-shop"
    And the "say_do_mismatch" conflict is of low severity
    And the "say_do_mismatch" conflict mentions "respondents rate that mode as not central. Figures of fewer than 3 respondents are withheld"
    And the "say_do_mismatch" conflict cites "S-C4"

  # --- customer_expectation_mismatch -----------------------------------------------------------

  Scenario: A property-maintenance unit whose strategy puts customer service first, while its housing-company customers expect reliable standard delivery, is told to check what customers value
    Given a unit "property-maintenance" with traits:
      | trait                        | value                        |
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
    And the unit's strategy ranking is "customer_service, development"
    When the unit is assessed
    Then the dominant mode is "production"
    And there is one "customer_expectation_mismatch" conflict for "property-maintenance"
    And the "customer_expectation_mismatch" conflict is of medium severity
    And the "customer_expectation_mismatch" conflict mentions "leads with the customer-service mode in the strategy-chosen view"
    And the "customer_expectation_mismatch" conflict mentions "customers expect a well-working production model"
    And the "customer_expectation_mismatch" conflict cites "S-S11"

  # --- respondent_disagreement -----------------------------------------------------------------

  Scenario: Two managers who rate production at opposite ends of the scale do not give the press shop's view, and the self-assessment is disputed; two respondents make it a low finding
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | production | development | customer_service | public_administration |
      | ceo        | 5          | 1           |                  |                       |
      | cfo        | 2          | 1           |                  |                       |
    When the unit is assessed
    Then there is one "respondent_disagreement" conflict for "press-shop"
    And the "respondent_disagreement" conflict is of low severity
    And the "respondent_disagreement" conflict mentions "Production-oriented: 2 respondents, who disagree"
    And the "respondent_disagreement" conflict cites "S-C4"
    And the self-assessment is disputed
    And the self-assessment's figures are withheld

  Scenario: Three managers who rate production at opposite ends of the scale are a disputed group whose figures are shown, unless the organisation promised groups of five
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | production | development | customer_service | public_administration |
      | ceo        | 5          |             |                  |                       |
      | cfo        | 1          |             |                  |                       |
      | coo        | 1          |             |                  |                       |
    When the unit is assessed
    Then there is one "respondent_disagreement" conflict for "press-shop"
    And the "respondent_disagreement" conflict is of medium severity
    And the "respondent_disagreement" conflict mentions "Production-oriented: 3 respondents, rwg"
    And the self-assessment's figures are shown
    Given the organisation promises its respondents groups of at least 5
    When the unit is assessed
    Then there is one "respondent_disagreement" conflict for "press-shop"
    And the "respondent_disagreement" conflict is of medium severity
    And the "respondent_disagreement" conflict mentions "Production-oriented: 3 respondents, who disagree"
    And the "respondent_disagreement" conflict mentions "Figures of fewer than 5 respondents are withheld to protect their anonymity"
    And the self-assessment's figures are withheld

  Scenario: A single manager rating the modes at the extremes is no disagreement among respondents
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | production | development | customer_service | public_administration |
      | ceo        | 5          | 1           | 1                | 1                     |
    When the unit is assessed
    Then there is no "respondent_disagreement" conflict
    And the self-assessment is not disputed

  # --- where nothing conflicts -----------------------------------------------------------------

  Scenario: A production group with two production plants, all on the balanced scorecard, raises no conflicts
    Given a unit "group" with traits:
      | trait                        | value                                              |
      | sector                       | private                                            |
      | aims_at_surplus              | true                                               |
      | profitability_before_growth  | 4                                                  |
      | own_business_followup        | 5                                                  |
      | goal_clarity                 | 4                                                  |
      | periodic_figures_informative | 4                                                  |
      | cost_focus                   | 4                                                  |
      | established_way_of_working   | 4                                                  |
      | uncertainty_level            | 2                                                  |
      | customer_value_basis         | [reliable_standard_delivery, feature_improvements] |
    And the unit uses "balanced_scorecard"
    And a unit "press-shop" under "group" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard, financial_time_series"
    And a unit "contract-packaging" under "group" with traits:
      | trait                        | value                                   |
      | sector                       | private                                 |
      | aims_at_surplus              | true                                    |
      | customers_expect_standard    | 5                                       |
      | output_standardisation       | 5                                       |
      | daily_flex_to_customer       | 2                                       |
      | individual_customer_promise  | 2                                       |
      | established_way_of_working   | 4                                       |
      | cost_focus                   | 4                                       |
      | goal_clarity                 | 4                                       |
      | periodic_figures_informative | 4                                       |
      | uncertainty_level            | 2                                       |
      | customer_value_basis         | [reliable_standard_delivery, low_price] |
    And the unit uses "balanced_scorecard"
    When the units are assessed
    Then the dominant mode of "press-shop" is "production"
    And the dominant mode of "contract-packaging" is "production"
    And there are no conflicts

  Scenario: A half-production, half-development engineering works under a production group, on the group's scorecard, raises no mode conflict and no measurement misfit
    Given a unit "group" with traits:
      | trait                        | value                                              |
      | sector                       | private                                            |
      | aims_at_surplus              | true                                               |
      | profitability_before_growth  | 4                                                  |
      | own_business_followup        | 5                                                  |
      | goal_clarity                 | 4                                                  |
      | periodic_figures_informative | 4                                                  |
      | cost_focus                   | 4                                                  |
      | established_way_of_working   | 4                                                  |
      | uncertainty_level            | 2                                                  |
      | customer_value_basis         | [reliable_standard_delivery, feature_improvements] |
    And the unit uses "balanced_scorecard"
    And a unit "engineering-works" under "group" with traits:
      | trait                       | value   |
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
    And the unit uses "balanced_scorecard"
    When the units are assessed
    Then the dominant mode of "group" is "production"
    And the profile is mixed
    And there is no "unit_mode_conflict" conflict
    And there is no "measurement_misfit" conflict

  Scenario: A half-production, half-development engineering works beside a production plant under one business area raises no mode conflict and no measurement misfit
    Given a unit "business-area" with traits:
      | trait           | value   |
      | sector          | private |
      | aims_at_surplus | true    |
    And a unit "press-shop" under "business-area" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard, financial_time_series"
    And a unit "engineering-works" under "business-area" with traits:
      | trait                       | value   |
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
    And the unit uses "balanced_scorecard"
    When the units are assessed
    Then the dominant mode of "press-shop" is "production"
    And the profile is mixed
    And there is no "unit_mode_conflict" conflict
    And there is no "measurement_misfit" conflict

  Scenario: A lab described too thinly to name its mode raises no mode conflict with its production group, even on the group's scorecard
    Given a unit "group" with traits:
      | trait                        | value                                              |
      | sector                       | private                                            |
      | aims_at_surplus              | true                                               |
      | profitability_before_growth  | 4                                                  |
      | own_business_followup        | 5                                                  |
      | goal_clarity                 | 4                                                  |
      | periodic_figures_informative | 4                                                  |
      | cost_focus                   | 4                                                  |
      | established_way_of_working   | 4                                                  |
      | uncertainty_level            | 2                                                  |
      | customer_value_basis         | [reliable_standard_delivery, feature_improvements] |
    And the unit uses "balanced_scorecard"
    And a unit "lab" under "group" with traits:
      | trait                | value |
      | risk_taking_accepted | true  |
      | project_work_share   | 80    |
    And the unit uses "balanced_scorecard"
    When the units are assessed
    Then there is too little evidence to name a mode
    And there are no conflicts

  # --- perspective_conflict: a shift of emphasis, not a change of mode -------------------------

  Scenario: A press shop that wants to stay production-led but with more weight on customer service is told it is a shift of emphasis, not a change of mode
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's desired mode is:
      | archetype        | weight |
      | production       | 70     |
      | customer_service | 30     |
    When the unit is assessed
    Then the dominant mode is "production"
    And there is one "perspective_conflict" conflict for "press-shop"
    And the "perspective_conflict" conflict is of low severity
    And the "perspective_conflict" conflict mentions "a shift of emphasis, not a change of mode"

  Scenario: A press shop whose strategy ranks production first and customer service second is told the strategy shifts the emphasis but keeps its lead mode
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's strategy ranking is "production, customer_service"
    When the unit is assessed
    Then there is one "perspective_conflict" conflict for "press-shop"
    And the "perspective_conflict" conflict is of low severity
    And the "perspective_conflict" conflict mentions "a shift of emphasis, not a crossing"

  Scenario: A press shop whose management and strategy agree on production first but weigh the other modes differently is told the two views differ only in emphasis
    Given a unit "press-shop" with traits:
      | trait                        | value       |
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
    And the unit's desired mode is:
      | archetype        | weight |
      | production       | 100    |
    And the unit's strategy mode is:
      | archetype        | weight |
      | production       | 60     |
      | customer_service | 40     |
    When the unit is assessed
    Then a "perspective_conflict" conflict mentions "What press-shop desires and what its strategy chooses agree on"
    And a "perspective_conflict" conflict mentions "strategy 0.6"
    And there is no "say_do_mismatch" conflict

  # --- findings: one per root cause, however many units ------------------------------------

  Scenario: A scorecard imposed on every unit is one finding naming every development lab it misfits
    Given a unit "group" with traits:
      | trait                        | value       |
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
    And a unit "plant" under "group" with traits:
      | trait                        | value       |
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
    And a unit "lab-a" under "group" with traits:
      | trait                        | value         |
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
    And a unit "lab-b" under "group" with traits:
      | trait                        | value         |
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
    And a unit "lab-c" under "group" with traits:
      | trait                        | value         |
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
    And the organisation imposes "balanced_scorecard"
    When the units are assessed
    Then there is 1 "measurement_misfit" conflict
    And the finding "measurement_misfit:balanced_scorecard" names "lab-a, lab-b, lab-c"
    And the finding "measurement_misfit:balanced_scorecard" is of high severity
    And the finding "measurement_misfit:balanced_scorecard" mentions "The organisation imposes Balanced scorecard (BSC) on every unit, but it fits the modes of lab-a, lab-b and lab-c poorly"
    And the finding "measurement_misfit:balanced_scorecard" mentions "lab-c: fit -0.80, a poor fit because of its Product/service-development-oriented share (1.00)"
    And the finding "measurement_misfit:balanced_scorecard" cites "S-D12"

  Scenario: A scorecard the organisation imposes and two labs also use themselves is still one finding, not one per rule and lab
    Given a unit "group" with traits:
      | trait                        | value       |
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
    And a unit "lab-a" under "group" with traits:
      | trait                        | value         |
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
    And the unit uses "balanced_scorecard"
    And a unit "lab-b" under "group" with traits:
      | trait                        | value         |
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
    And the unit uses "balanced_scorecard"
    And the organisation imposes "balanced_scorecard"
    When the units are assessed
    Then there is 1 "measurement_misfit" conflict
    And the finding "measurement_misfit:balanced_scorecard" names "lab-a, lab-b"
    And the finding "measurement_misfit:balanced_scorecard" mentions "lab-a: period figures show the real situation 2 of 5"

  Scenario: A group whose three plants and three labs split on the models of their modes is one finding per model the group uses, naming both camps and their sizes
    Given a unit "group" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard, resource_steering"
    And a unit "plant-1" under "group" with traits:
      | trait                        | value       |
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
    And a unit "plant-2" under "group" with traits:
      | trait                        | value       |
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
    And a unit "plant-3" under "group" with traits:
      | trait                        | value       |
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
    And a unit "lab-1" under "group" with traits:
      | trait                        | value         |
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
    And a unit "lab-2" under "group" with traits:
      | trait                        | value         |
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
    And a unit "lab-3" under "group" with traits:
      | trait                        | value         |
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
    When the units are assessed
    Then there are 2 "unit_mode_conflict" conflicts
    And the finding "units_split_on_model:group:balanced_scorecard" names "group, lab-1, lab-2, lab-3, plant-1, plant-2, plant-3"
    And the finding "units_split_on_model:group:balanced_scorecard" mentions "Balanced scorecard (BSC) suits 4 of them and fits 3 poorly"
    And the finding "units_split_on_model:group:balanced_scorecard" is of high severity
    And the finding "units_split_on_model:group:resource_steering" is of medium severity
    And there is no "measurement_misfit" conflict

  Scenario: Two business areas, each with a plant and a lab, are split per business area: the camps under one parent are one finding
    Given a unit "group" with traits:
      | trait           | value   |
      | sector          | private |
      | aims_at_surplus | true    |
    And a unit "area-a" under "group" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard"
    And a unit "plant-a" under "area-a" with traits:
      | trait                        | value       |
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
    And a unit "lab-a" under "area-a" with traits:
      | trait                        | value         |
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
    And a unit "area-b" under "group" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard"
    And a unit "plant-b" under "area-b" with traits:
      | trait                        | value       |
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
    And a unit "lab-b" under "area-b" with traits:
      | trait                        | value         |
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
    When the units are assessed
    Then there are 2 "unit_mode_conflict" conflicts
    And the finding "units_split_on_model:area-a:balanced_scorecard" names "area-a, lab-a, plant-a"
    And the finding "units_split_on_model:area-b:balanced_scorecard" names "area-b, lab-b, plant-b"
    And there is no finding "units_split_on_model:group:balanced_scorecard"

  # --- severity follows the evidence ---------------------------------------------------------

  Scenario: A satisfaction survey that fits the city's social and health services at -0.11 is a low finding, not a high one
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then the finding "measurement_misfit:customer_satisfaction_survey" is of low severity
    And the finding "measurement_misfit:customer_satisfaction_survey" mentions "Sosiaali- ja terveyspalvelut: fit -0.11, a poor fit because of its Customer-service-oriented share (0.38)"

  Scenario: A strategy that puts production first for a development lab crosses the lab's lead mode: high
    Given a unit "lab" with traits:
      | trait                        | value         |
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
    And the unit's strategy ranking is "production, development"
    When the unit is assessed
    Then the finding "strategy_mode_crosses_current:lab" is of high severity
    And the finding "strategy_mode_crosses_current:lab" mentions "chooses Production-oriented as its lead mode, but its traits show it leading with Product/service-development-oriented"
    And the finding "strategy_mode_crosses_current:lab" mentions "Production-oriented: current 0.00, strategy 0.75 (gap 0.75)"

  Scenario: Where a pack reads a ranking as its lead mode only, a strategy ranking production first says nothing more about a production plant: no shift of emphasis either
    Given a unit "plant" with traits:
      | trait                        | value       |
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
    And the unit's strategy ranking is "production, customer_service"
    And the pack setting "ranking_weights" is "lead_only"
    When the unit is assessed
    Then there are no conflicts

  Scenario: Three managers who call a production plant customer-service-oriented are a medium finding: enough respondents to take it seriously
    Given a unit "plant" with traits:
      | trait                        | value       |
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
    And respondents rate the unit:
      | respondent | customer_service |
      | ceo        | 5                |
      | cfo        | 5                |
      | coo        | 5                |
    When the unit is assessed
    Then the finding "central_in_words_not_in_traits:plant" is of medium severity
    And the finding "central_in_words_not_in_traits:plant" mentions "Customer-service-oriented: rated 5.00 by 3, weight in the traits 0.00"

  Scenario: A pack that calls only fits of -0.9 or worse high makes the scorecard a group cascades to its lab a medium split
    Given a unit "group" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard"
    And a unit "lab" under "group" with traits:
      | trait                        | value         |
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
    And the pack setting "misfit_high" is "0.9"
    When the units are assessed
    Then the finding "units_split_on_model:group:balanced_scorecard" is of medium severity
    And the finding "units_split_on_model:group:balanced_scorecard" mentions "lab (Product/service-development-oriented): fit -0.80"

  Scenario: A plant whose own people say its period figures miss its real situation, yet follows itself by them, is a medium finding about those models
    Given a unit "plant" with traits:
      | trait                        | value       |
      | sector                       | private     |
      | aims_at_surplus              | true        |
      | established_way_of_working   | 5           |
      | cost_focus                   | 5           |
      | own_business_followup        | 5           |
      | profitability_before_growth  | 4           |
      | innovation_type              | incremental |
      | stabilising_leadership       | 4           |
      | goal_clarity                 | 5           |
      | periodic_figures_informative | 2           |
      | resource_based_steering      | 5           |
      | uncertainty_level            | 2           |
    And the unit uses "balanced_scorecard, financial_time_series"
    When the unit is assessed
    Then there are 2 "measurement_misfit" conflicts
    And the finding "measurement_misfit:balanced_scorecard" is of medium severity
    And the finding "measurement_misfit:balanced_scorecard" mentions "but in plant the period figures show the real situation poorly, by its own account"
    And the finding "measurement_misfit:financial_time_series" cites "S-S7"

  # --- no finding where the evidence does not carry one --------------------------------------

  Scenario: A plant slightly off the production ideal, with a little experimentation, keeps its scorecard and raises nothing
    Given a unit "plant" with traits:
      | trait                        | value       |
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
    And the unit uses "balanced_scorecard, financial_time_series"
    When the unit is assessed
    Then the dominant mode is "production"
    And "balanced_scorecard" is recommended
    And there are no conflicts

  Scenario: A satisfaction survey that fits a plant only slightly poorly, less than avoid_min, is no finding
    Given a unit "plant" with traits:
      | trait                        | value       |
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
    And the unit uses "customer_satisfaction_survey"
    When the unit is assessed
    Then "customer_satisfaction_survey" is not to be avoided
    And there are no conflicts
