Feature: Advice for product/service-development-oriented units
  A development-oriented unit seeks the best service and product through a new, innovative way
  of operating: risk taking, experimentation, fairly large uncertainties and growth before
  profitability (S-D3, S-D5, S-D6, S-D9). Its work is project-like and varying, so the balanced
  scorecard and time-series metrics work poorly (S-D11, S-D12); milestone follow-up works better (S-D13).

  Scenario: A project-driven R&D unit measured with a scorecard is told to switch to milestone follow-up
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
    Then the dominant mode is "development"
    And the profile is not mixed
    And "milestone_project_followup" is among the top 1 recommendations
    And "balanced_scorecard" is not recommended
    And "balanced_scorecard" is to be avoided as it is in use
    And the rule "project_based_work" fired
    And the advice cites "S-D12"
    And the advice cites "S-D13"

  Scenario: A growth-first new-business unit followed on monthly financial figures is told that time-series metrics work poorly for it
    Given a unit "new-ventures" with traits:
      | trait                        | value         |
      | sector                       | private       |
      | aims_at_surplus              | true          |
      | profitability_before_growth  | 1             |
      | risk_taking_accepted         | true          |
      | differentiation_focus        | 5             |
      | vision_challenge             | 4             |
      | uncertainty_level            | 5             |
      | new_offering_revenue_share   | 70            |
      | innovation_type              | new_offerings |
      | periodic_figures_informative | 1             |
      | project_work_share           | 60            |
      | own_business_followup        | 3             |
      | cost_focus                   | 2             |
    And the unit uses "financial_time_series"
    When the unit is assessed
    Then the dominant mode is "development"
    And "milestone_project_followup" is recommended
    And "financial_time_series" is not recommended
    And "financial_time_series" is to be avoided as it is in use
    And "balanced_scorecard" is to be avoided
    And the rule "growth_first" fired
    And the rule "period_figures_miss_projects" fired
    And the advice cites "S-D9"
    And the advice cites "S-D11"

  Scenario: An innovation hub that values stopping projects as much as finishing them gets go/kill portfolio management and vision-sharing leadership
    Given a unit "innovation-hub" with traits:
      | trait                      | value   |
      | sector                     | private |
      | aims_at_surplus            | true    |
      | mission_based_promise      | 4       |
      | vision_challenge           | 5       |
      | shared_vision_effort       | 5       |
      | ideation_activity          | 5       |
      | experimentation            | 5       |
      | risk_taking_accepted       | true    |
      | uncertainty_level          | 4       |
      | project_kill_readiness     | 5       |
      | milestone_structured_work  | 4       |
      | stabilising_leadership     | 1       |
      | established_way_of_working | 1       |
    When the unit is assessed
    Then the dominant mode is "development"
    And "portfolio_go_kill" is recommended
    And "vision_sharing_leadership" is recommended
    And "experiment_driven_development" is recommended
    And "continuity_leadership" is not recommended
    And "balanced_scorecard" is to be avoided
    And the rule "stopping_projects" fired
    And the rule "shared_vision" fired
    And the advice cites "S-D10"
    And the advice cites "S-D7"
