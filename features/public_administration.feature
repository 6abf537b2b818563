Feature: Advice for public-administrative units
  In the public-administrative mode the basic task, often defined by laws and regulations, and
  operating efficiently in it are central, not producing an operating surplus (S-G1). Goals are
  set for the basic task (S-G2). Public services too are moving from the production-oriented
  towards the development- and customer-oriented modes (S-G3).

  Scenario: A municipal building-control office with a statutory task sets its goals for the basic task, not for a surplus
    Given a unit "building-control" with traits:
      | trait                        | value                   |
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
    And the unit uses "financial_time_series"
    When the unit is assessed
    Then the dominant mode is "public_administration"
    And the profile is not mixed
    And "basic_task_goal_setting" is among the top 1 recommendations
    And "financial_time_series" is not recommended
    And "financial_time_series" is to be avoided as it is in use
    And "milestone_project_followup" is not recommended
    And the rule "statutory_basic_task" fired
    And the rule "goals_for_basic_task" fired
    And the advice cites "S-G1"
    And the advice cites "S-G2"

  Scenario: A city library moving towards customer orientation adds customer feedback to its basic-task goals
    Given a unit "city-library" with traits:
      | trait                        | value                                     |
      | sector                       | public                                    |
      | basic_task_set_by_law        | true                                      |
      | aims_at_surplus              | false                                     |
      | publicly_funded              | true                                      |
      | goals_set_for_basic_task     | 4                                         |
      | daily_flex_to_customer       | 4                                         |
      | feedback_reaction_speed      | 4                                         |
      | customer_view_checked        | 4                                         |
      | staff_dependent_service      | 3                                         |
      | periodic_figures_informative | 2                                         |
      | customer_value_basis         | [statutory_entitlement, tailored_service] |
    And the unit uses "financial_time_series"
    When the unit is assessed
    Then the dominant mode is "public_administration"
    And the profile is not mixed
    And "basic_task_goal_setting" is recommended
    And "customer_feedback_system" is recommended
    And "feedback_reactive_leadership" is recommended
    And "financial_time_series" is to be avoided as it is in use
    And the rule "public_sector" fired
    And the rule "fast_feedback_reaction" fired
    And the advice cites "S-G3"
    And the advice cites "S-S6"

  Scenario: A benefits office with long-established routines keeps goals for its basic task and steers its resources
    Given a unit "benefits-office" with traits:
      | trait                        | value                   |
      | sector                       | public                  |
      | basic_task_set_by_law        | true                    |
      | aims_at_surplus              | false                   |
      | publicly_funded              | true                    |
      | goals_set_for_basic_task     | 4                       |
      | goal_clarity                 | 4                       |
      | established_way_of_working   | 5                       |
      | output_standardisation       | 4                       |
      | resource_based_steering      | 4                       |
      | periodic_figures_informative | 3                       |
      | uncertainty_level            | 2                       |
      | customer_value_basis         | [statutory_entitlement] |
    When the unit is assessed
    Then the dominant mode is "public_administration"
    And "basic_task_goal_setting" is recommended
    And "resource_steering" is recommended
    And "milestone_project_followup" is not recommended
    And "experiment_driven_development" is not recommended
    And the rule "public_production_heritage" fired
    And the rule "clear_goals_for_statutory_task" fired
    And the advice cites "S-G3"
    And the advice cites "S-P7"

  Scenario: A publicly owned water company that runs for a surplus is judged by how it works, not by who owns it
    Given a unit "water-utility" with traits:
      | trait                        | value                        |
      | sector                       | publicly_owned_company       |
      | basic_task_set_by_law        | false                        |
      | aims_at_surplus              | true                         |
      | publicly_funded              | false                        |
      | established_way_of_working   | 5                            |
      | cost_focus                   | 4                            |
      | profitability_before_growth  | 4                            |
      | resource_based_steering      | 5                            |
      | stabilising_leadership       | 4                            |
      | goal_clarity                 | 4                            |
      | periodic_figures_informative | 4                            |
      | uncertainty_level            | 2                            |
      | customer_value_basis         | [reliable_standard_delivery] |
    And the unit uses "balanced_scorecard, financial_time_series"
    When the unit is assessed
    Then the dominant mode is "production"
    And the profile is not mixed
    And "basic_task_goal_setting" is not recommended
    And "balanced_scorecard" is recommended
    And "financial_time_series" is recommended
    And the rule "profitability_first" fired
    And the advice cites "S-P3"
