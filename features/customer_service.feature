Feature: Advice for customer-service-oriented units
  A customer-service-oriented unit flexes its way of working and its output to customers' needs,
  even daily, and keeps an individual customer promise it can deliver (S-S1, S-S2). Loyalty comes
  even slightly ahead of satisfaction (S-S4); customer feedback systems and fast reaction support
  management (S-S6), while financial and productivity follow-up lags (S-S7). A friendly attitude
  alone does not make a unit customer-service-oriented (S-C5).

  Scenario: A key-account team that tracks a satisfaction survey is told to measure loyalty instead
    Given a unit "key-accounts" with traits:
      | trait                        | value                                     |
      | sector                       | private                                   |
      | aims_at_surplus              | true                                      |
      | daily_flex_to_customer       | 4                                         |
      | output_standardisation       | 2                                         |
      | individual_customer_promise  | 5                                         |
      | exceeding_expectations       | 5                                         |
      | relationship_before_delivery | 5                                         |
      | feedback_reaction_speed      | 4                                         |
      | customer_view_checked        | 4                                         |
      | whole_customer_experience    | 3                                         |
      | customer_value_basis         | [exceeding_expectations, long_relationship] |
    And the unit uses "customer_satisfaction_survey"
    When the unit is assessed
    Then the dominant mode is "customer_service"
    And the profile is not mixed
    And "customer_loyalty_measurement" is recommended
    And "customer_satisfaction_survey" is not recommended
    And "customer_satisfaction_survey" is to be avoided as it is in use
    And the rule "loyalty_by_exceeding" fired
    And the rule "customership_first" fired
    And the advice cites "S-S4"
    And the advice cites "S-S5"

  Scenario: A field-service unit steered on monthly financial figures is told they lag and that customer feedback should steer it
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
    And "customer_feedback_system" is among the top 1 recommendations
    And "feedback_reactive_leadership" is recommended
    And "financial_time_series" is not recommended
    And "financial_time_series" is to be avoided as it is in use
    And the rule "lagging_financials" fired
    And the rule "daily_flexing" fired
    And the advice cites "S-S7"
    And the advice cites "S-S6"

  Scenario: A spa hotel whose service stands or falls with its staff follows their competence and well-being rather than lagging figures
    Given a unit "spa-hotel" with traits:
      | trait                       | value                                     |
      | sector                      | private                                   |
      | aims_at_surplus             | true                                      |
      | daily_flex_to_customer      | 4                                         |
      | staff_dependent_service     | 5                                         |
      | whole_customer_experience   | 5                                         |
      | exceeding_expectations      | 4                                         |
      | feedback_reaction_speed     | 5                                         |
      | individual_customer_promise | 4                                         |
      | customer_view_checked       | 3                                         |
      | output_standardisation      | 2                                         |
      | customer_value_basis        | [whole_experience, exceeding_expectations] |
    And the unit uses "customer_satisfaction_survey, financial_time_series"
    When the unit is assessed
    Then the dominant mode is "customer_service"
    And "staff_wellbeing_followup" is recommended
    And "feedback_reactive_leadership" is recommended
    And "customer_loyalty_measurement" is recommended
    And "financial_time_series" is to be avoided as it is in use
    And "customer_satisfaction_survey" is to be avoided as it is in use
    And the rule "staff_carry_service" fired
    And the rule "designed_experience" fired
    And the advice cites "S-S8"
    And the advice cites "S-S9"

  Scenario: An IT service unit that develops its services together with its customers is customer-service-oriented, not development-oriented
    Given a unit "it-services" with traits:
      | trait                        | value                                |
      | sector                       | private                              |
      | aims_at_surplus              | true                                 |
      | daily_flex_to_customer       | 4                                    |
      | customer_codevelopment       | 5                                    |
      | relationship_before_delivery | 4                                    |
      | individual_customer_promise  | 4                                    |
      | feedback_reaction_speed      | 4                                    |
      | customer_view_checked        | 4                                    |
      | output_standardisation       | 2                                    |
      | project_work_share           | 30                                   |
      | innovation_type              | incremental                          |
      | customer_value_basis         | [tailored_service, long_relationship] |
    When the unit is assessed
    Then the dominant mode is "customer_service"
    And the profile is not mixed
    And "co_development_with_customers" is recommended
    And "customer_feedback_system" is among the top 1 recommendations
    And "milestone_project_followup" is not recommended
    And "financial_time_series" is to be avoided
    And the rule "codevelopment_with_customers" fired
    And the advice cites "S-S3"
    And the advice cites "S-S10"
