Feature: Mixed profiles and the evidence behind a mode
  Organisations and units are usually a combination of the archetypal modes (S-C7), and people
  hold differing pictures of the modes (S-C4). The advisor therefore names a mode only on enough
  observed evidence, weighs both modes when a unit is mixed, and lets a rule fire only on what
  the consultant actually observed, never on a guess.

  Scenario: An engineering works that is half series production, half development projects is mixed and gets no push towards the scorecard
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
    And the unit uses "balanced_scorecard"
    When the unit is assessed
    Then the profile is mixed
    And "balanced_scorecard" is not recommended
    And "balanced_scorecard" is not to be avoided
    And "financial_time_series" is not recommended
    And "continuity_leadership" is not recommended
    And "milestone_project_followup" is recommended
    And "resource_steering" is recommended
    And the rule "steering_by_resources" fired
    And the rule "project_based_work" fired

  Scenario: A unit known only for putting profitability first and competing on cost gives too little evidence to name a mode
    Given a unit "sales-office" with traits:
      | trait                       | value |
      | profitability_before_growth | 5     |
      | cost_focus                  | 5     |
    And the unit uses "balanced_scorecard"
    When the unit is assessed
    Then there is too little evidence to name a mode
    And "balanced_scorecard" is not recommended
    And the rule "profitability_first" fired
    And the rule "cost_leadership" fired

  Scenario: A unit known only for its share of project work gives too little evidence to name a mode
    Given a unit "programme-office" with traits:
      | trait              | value |
      | project_work_share | 90    |
    When the unit is assessed
    Then there is too little evidence to name a mode
    And "milestone_project_followup" is not recommended
    And the rule "project_based_work" fired

  Scenario: A unit described as middling on every count gives too little evidence, however many traits were observed
    Given a unit "middle-of-the-road" with traits:
      | trait                       | value |
      | established_way_of_working  | 3     |
      | cost_focus                  | 3     |
      | profitability_before_growth | 3     |
      | experimentation             | 3     |
      | uncertainty_level           | 3     |
      | daily_flex_to_customer      | 3     |
      | feedback_reaction_speed     | 3     |
      | goal_clarity                | 3     |
      | vision_challenge            | 3     |
    When the unit is assessed
    Then there is too little evidence to name a mode

  Scenario: Nothing is assumed about what was not observed: a customer desk not asked about money, growth or uncertainty gets only customer-service advice
    Given a unit "customer-desk" with traits:
      | trait                        | value |
      | daily_flex_to_customer       | 4     |
      | customer_view_checked        | 4     |
      | output_standardisation       | 3     |
      | individual_customer_promise  | 3     |
      | exceeding_expectations       | 3     |
      | relationship_before_delivery | 3     |
      | staff_dependent_service      | 3     |
      | whole_customer_experience    | 3     |
    When the unit is assessed
    Then the dominant mode is "customer_service"
    And the profile is not mixed
    And "customer_feedback_system" is recommended
    And "basic_task_goal_setting" is not recommended
    And "milestone_project_followup" is not recommended
    And "resource_steering" is not recommended
    And the rule "daily_flexing" fired
    And the rule "customer_thinking_checked" fired

  Scenario: A production-oriented group management and its development lab are each advised on their own mode
    Given a unit "group" with traits:
      | trait                        | value                                           |
      | sector                       | private                                         |
      | aims_at_surplus              | true                                            |
      | profitability_before_growth  | 4                                               |
      | own_business_followup        | 5                                               |
      | goal_clarity                 | 4                                               |
      | periodic_figures_informative | 4                                               |
      | cost_focus                   | 4                                               |
      | established_way_of_working   | 4                                               |
      | uncertainty_level            | 2                                               |
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
    And the unit uses "balanced_scorecard"
    When the units are assessed
    Then the dominant mode of "group" is "production"
    And the dominant mode of "lab" is "development"
    And "balanced_scorecard" is recommended for "group"
    And "balanced_scorecard" is to be avoided for "lab"
    And "balanced_scorecard" is to be avoided as it is in use
    And "milestone_project_followup" is recommended for "lab"
