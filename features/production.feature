Feature: Advice for production-oriented units
  A production-oriented unit competes on cost and on optimal performance for the customer. Its
  ways of working are established, management follows its own business closely and puts
  profitability before growth (S-P1, S-P2, S-P3). Goals can be set clearly, so a balanced
  scorecard works relatively well (S-P6), and performance is managed by steering resources (S-P7).

  Scenario: An established, cost-leading press shop keeps its balanced scorecard and its financial follow-up
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
    Then the dominant mode is "production"
    And the profile is not mixed
    And "resource_steering" is among the top 1 recommendations
    And "balanced_scorecard" is recommended
    And "financial_time_series" is recommended
    And "milestone_project_followup" is not recommended
    And the rule "clear_measurable_goals" fired
    And the advice cites "S-P6"
    And the advice cites "S-P7"

  Scenario: A contract packer whose customers expect reliable standard delivery is best served by a production-oriented model
    Given a unit "contract-packaging" with traits:
      | trait                        | value                                 |
      | sector                       | private                               |
      | aims_at_surplus              | true                                  |
      | customers_expect_standard    | 5                                     |
      | output_standardisation       | 5                                     |
      | daily_flex_to_customer       | 2                                     |
      | individual_customer_promise  | 2                                     |
      | established_way_of_working   | 4                                     |
      | cost_focus                   | 4                                     |
      | goal_clarity                 | 4                                     |
      | periodic_figures_informative | 4                                     |
      | uncertainty_level            | 2                                     |
      | customer_value_basis         | [reliable_standard_delivery, low_price] |
    When the unit is assessed
    Then the dominant mode is "production"
    And the profile is not mixed
    And "balanced_scorecard" is recommended
    And "continuity_leadership" is recommended
    And "customer_feedback_system" is not recommended
    And "customer_loyalty_measurement" is not recommended
    And the rule "customers_want_standard" fired
    And the advice cites "S-S11"

  Scenario: A stable payroll centre is led for continuity and steered through its resources, not run as a portfolio of experiments
    Given a unit "payroll-centre" with traits:
      | trait                       | value       |
      | sector                      | private     |
      | aims_at_surplus             | true        |
      | established_way_of_working  | 5           |
      | stabilising_leadership      | 5           |
      | resource_based_steering     | 4           |
      | own_business_followup       | 4           |
      | profitability_before_growth | 4           |
      | innovation_type             | incremental |
      | new_offering_revenue_share  | 5           |
      | work_variability            | 1           |
      | uncertainty_level           | 1           |
      | experimentation             | 1           |
      | project_work_share          | 10          |
    When the unit is assessed
    Then the dominant mode is "production"
    And "resource_steering" is among the top 1 recommendations
    And "continuity_leadership" is recommended
    And "portfolio_go_kill" is not recommended
    And "experiment_driven_development" is not recommended
    And "vision_sharing_leadership" is not recommended
    And the rule "leadership_for_continuity" fired
    And the rule "incremental_innovation" fired
    And the advice cites "S-P4"
    And the advice cites "S-P5"
