Feature: Advice for the example organisations
  The organisations in examples/ combine units in different modes (S-C7): a machinery
  manufacturer, a facility-services company, a city, an electricity distribution company and a
  city library. Each unit gets advice for its own mode,
  and models used today are flagged where the source says they fit poorly (S-D12, S-S4, S-S7).
  Together the examples show every kind of conflict: units whose modes call for opposite models,
  measurement that misfits a mode, crossing current and strategy views (S-C6), saying one mode
  while working in another (S-C4, S-C5), customers who expect a production model from a unit
  aiming at customer service (S-S11), and respondents who disagree (S-C1, S-C4).

  Scenario: The manufacturer's group management is production-oriented and keeps its scorecard
    Given the organisation file "../examples/manufacturer.yaml"
    When the organisation is assessed
    Then the dominant mode of "group" is "production"
    And "balanced_scorecard" is recommended for "group"
    And "financial_time_series" is recommended for "group"

  Scenario: The manufacturer's plant is production-oriented and is steered through its resources
    Given the organisation file "../examples/manufacturer.yaml"
    When the organisation is assessed
    Then the dominant mode of "plant" is "production"
    And "resource_steering" is recommended for "plant"
    And "balanced_scorecard" is recommended for "plant"
    And "continuity_leadership" is recommended for "plant"

  Scenario: The manufacturer's R&D unit, followed with the group scorecard, is told to switch to milestone follow-up
    Given the organisation file "../examples/manufacturer.yaml"
    When the organisation is assessed
    Then the dominant mode of "rnd" is "development"
    And "milestone_project_followup" is recommended for "rnd"
    And "portfolio_go_kill" is recommended for "rnd"
    And "balanced_scorecard" is to be avoided for "rnd"
    And "financial_time_series" is to be avoided for "rnd"

  Scenario: The service company's workplace services measure loyalty and customer feedback, not satisfaction and financial series
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then the dominant mode of "workplace-services" is "customer_service"
    And "customer_feedback_system" is recommended for "workplace-services"
    And "customer_loyalty_measurement" is recommended for "workplace-services"
    And "staff_wellbeing_followup" is recommended for "workplace-services"
    And "customer_satisfaction_survey" is to be avoided for "workplace-services"
    And "financial_time_series" is to be avoided for "workplace-services"

  Scenario: The service company's housing services are customer-service-oriented too
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then the dominant mode of "housing-services" is "customer_service"
    And "customer_feedback_system" is recommended for "housing-services"
    And "feedback_reactive_leadership" is recommended for "housing-services"
    And "financial_time_series" is to be avoided for "housing-services"
    And "customer_satisfaction_survey" is to be avoided for "housing-services"

  Scenario: The service company's shared service centre is production-oriented and keeps its financial follow-up
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then the dominant mode of "shared-services" is "production"
    And "financial_time_series" is recommended for "shared-services"
    And "resource_steering" is recommended for "shared-services"
    And "balanced_scorecard" is recommended for "shared-services"

  Scenario: The city's central administration sets goals for its statutory basic task
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then the dominant mode of "central-administration" is "public_administration"
    And "basic_task_goal_setting" is recommended for "central-administration"

  Scenario: The city's social and health services are public-administrative, steered by customer feedback rather than financial series
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then the dominant mode of "social-health" is "public_administration"
    And "basic_task_goal_setting" is recommended for "social-health"
    And "customer_feedback_system" is recommended for "social-health"
    And "staff_wellbeing_followup" is recommended for "social-health"
    And "financial_time_series" is to be avoided for "social-health"
    And "customer_satisfaction_survey" is to be avoided for "social-health"

  Scenario: The city's digitalisation programme, followed with the city scorecard, is told to switch to milestone follow-up
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then the dominant mode of "digitalisation" is "development"
    And "milestone_project_followup" is recommended for "digitalisation"
    And "experiment_driven_development" is recommended for "digitalisation"
    And "balanced_scorecard" is to be avoided for "digitalisation"

  Scenario: The manufacturer's R&D unit calls for the opposite models from group management and the plant: one finding per model in use the group splits on
    Given the organisation file "../examples/manufacturer.yaml"
    When the organisation is assessed
    Then there are 2 "unit_mode_conflict" conflicts
    And the finding "units_split_on_model:group:balanced_scorecard" names "group, plant, rnd"
    And the finding "units_split_on_model:group:balanced_scorecard" is of high severity
    And the finding "units_split_on_model:group:balanced_scorecard" mentions "Balanced scorecard (BSC) suits 2 of them and fits 1 poorly"
    And the finding "units_split_on_model:group:financial_time_series" is of high severity
    And there is no finding "units_split_on_model:group:resource_steering"
    And there is one "measurement_misfit" conflict for "rnd"
    And the "measurement_misfit" conflict is of high severity
    And the "measurement_misfit" conflict mentions "Balanced scorecard (BSC)"

  Scenario: The service company's service units follow themselves with measurement that misfits customer service: one finding per model, naming both units
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then there are 2 "measurement_misfit" conflicts
    And the finding "measurement_misfit:financial_time_series" names "housing-services, workplace-services"
    And the finding "measurement_misfit:financial_time_series" is of high severity
    And the finding "measurement_misfit:financial_time_series" mentions "Työympäristöpalvelut yritysasiakkaille: fit -0.61, a poor fit because of its Customer-service-oriented share (0.92)"
    And the finding "measurement_misfit:customer_satisfaction_survey" names "housing-services, workplace-services"
    And the finding "measurement_misfit:customer_satisfaction_survey" is of low severity

  Scenario: The housing companies expect a well-working production model, though the strategy puts customer service first
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then there is one "customer_expectation_mismatch" conflict for "housing-services"
    And the "customer_expectation_mismatch" conflict mentions "expect a well-working production model"
    And the "customer_expectation_mismatch" conflict mentions "in the current (observed) and strategy-chosen views"

  Scenario: The shared service centre says it is customer-service-oriented but works in the production mode
    Given the organisation file "../examples/service-company.yaml"
    When the organisation is assessed
    Then the dominant mode of "shared-services" is "production"
    And there is one "say_do_mismatch" conflict for "shared-services"
    And the "say_do_mismatch" conflict mentions "rated central by 2"
    And the "say_do_mismatch" conflict mentions "Figures of fewer than 3 respondents are withheld to protect their anonymity"

  Scenario: The city strategy chooses customer service and development while the central administration works public-administratively
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then there is one "perspective_conflict" conflict for "central-administration"
    And the "perspective_conflict" conflict is of high severity
    And the "perspective_conflict" conflict mentions "Customer-service-oriented: current 0.00, strategy 0.61"

  Scenario: The social and health services' respondents disagree on how customer-service-oriented the services are
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then there is one "respondent_disagreement" conflict for "social-health"
    And the "respondent_disagreement" conflict mentions "Customer-service-oriented: 2 respondents, who disagree"
    And the self-assessment of "social-health" is disputed
    And there is no "say_do_mismatch" conflict

  Scenario: The city's digitalisation programme calls for the opposite models from the central administration
    Given the organisation file "../examples/municipality.yaml"
    When the organisation is assessed
    Then the finding "units_split_on_model:central-administration:balanced_scorecard" names "central-administration, digitalisation, social-health"
    And the finding "units_split_on_model:central-administration:balanced_scorecard" is of high severity
    And the finding "measurement_misfit:balanced_scorecard" names "digitalisation"
    And the finding "measurement_misfit:financial_time_series" names "social-health"
    And the finding "measurement_misfit:customer_satisfaction_survey" names "social-health"

  Scenario: The electricity distribution company's grid is production-oriented, its customer centre customer-service-oriented and its digital team development-oriented
    Given the organisation file "../examples/electricity-distribution.yaml"
    When the organisation is assessed
    Then the dominant mode of "grid-operations" is "production"
    And the dominant mode of "customer-centre" is "customer_service"
    And the dominant mode of "digital-team" is "development"
    And "resource_steering" is recommended for "grid-operations"
    And "customer_feedback_system" is recommended for "customer-centre"
    And "milestone_project_followup" is recommended for "digital-team"

  Scenario: The scorecard the electricity company imposes on all is one finding: it misfits the digital team, and the team and the customer centre say period figures miss their situation
    Given the organisation file "../examples/electricity-distribution.yaml"
    When the organisation is assessed
    Then the finding "measurement_misfit:balanced_scorecard" names "customer-centre, digital-team"
    And the finding "measurement_misfit:balanced_scorecard" is of high severity
    And the finding "measurement_misfit:balanced_scorecard" mentions "Digitaaliset palvelut: fit -0.76, a poor fit because of its Product/service-development-oriented share (0.95)"
    And the finding "measurement_misfit:balanced_scorecard" mentions "Asiakaspalvelukeskus: period figures show the real situation 2 of 5"
    And the finding "units_split_on_model:group:financial_time_series" names "group, customer-centre, digital-team, grid-operations"
    And the finding "units_split_on_model:group:financial_time_series" mentions "suits 2 of them and fits 2 poorly"

  Scenario: The electricity company's customers expect reliable delivery from a customer centre that works customer-service-first, and the group strategy that ranks production first is only a shift of emphasis
    Given the organisation file "../examples/electricity-distribution.yaml"
    When the organisation is assessed
    Then there is one "customer_expectation_mismatch" conflict for "customer-centre"
    And the "customer_expectation_mismatch" conflict mentions "in the current (observed) view"
    And the finding "strategy_mode_shifts_from_current:group" is of low severity
    And there is no finding "strategy_mode_crosses_current:group"

  Scenario: The city library's branches are customer-service-oriented, its administration public-administrative and its e-services development-oriented
    Given the organisation file "../examples/city-library.yaml"
    When the organisation is assessed
    Then the dominant mode of "library" is "public_administration"
    And the dominant mode of "main-library" is "public_administration"
    And the dominant mode of "branch-kirkonkyla" is "customer_service"
    And the dominant mode of "e-services" is "development"
    And "basic_task_goal_setting" is recommended for "library"
    And "customer_feedback_system" is recommended for "branch-asema"
    And "financial_time_series" is to be avoided for "branch-niittu"

  Scenario: The city library's three branches, all on the city's loans-and-costs series, are one finding naming all three
    Given the organisation file "../examples/city-library.yaml"
    When the organisation is assessed
    Then the finding "measurement_misfit:financial_time_series" names "branch-asema, branch-kirkonkyla, branch-niittu"
    And the finding "measurement_misfit:financial_time_series" is of medium severity
    And the finding "measurement_misfit:financial_time_series" mentions "Aseman lähikirjasto, Kirkonkylän lähikirjasto and Niittukummun lähikirjasto, whose modes it fits poorly"
    And the finding "measurement_misfit:balanced_scorecard" names "e-services"
    And the finding "units_split_on_model:library:balanced_scorecard" names "library, e-services, main-library"

  Scenario: The city library's strategy leads with customer service while its administration works public-administratively, and two branch people disagree
    Given the organisation file "../examples/city-library.yaml"
    When the organisation is assessed
    Then the finding "strategy_mode_crosses_current:library" is of high severity
    And the finding "desired_mode_crosses_current:library" is of medium severity
    And the finding "desired_mode_shifts_from_strategy:library" is of low severity
    And the finding "respondents_disagree_on_mode:branch-asema" is of low severity
    And the self-assessment of "branch-asema" is disputed
