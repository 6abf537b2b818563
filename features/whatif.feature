Feature: What-if, why-not and how settled: advice a manager can act on
  What-if changes only what a manager can act on: the models in use and the models the
  organisation imposes first, then management practices (levers). The circumstances a unit works
  in (its sector, a task set by law, its market, what customers expect) and the signals of how it
  is doing change only when asked. Different modes call for different steering and measurement
  (S-C6); a scorecard does not support project work (S-D12), whose follow-up is by milestones
  (S-D13).

  Scenario: A development unit under a scorecard is offered the model change first
    Given the organisation file "../examples/manufacturer.yaml"
    When what-if asks what would take "rnd" out of "measurement_misfit"
    Then the first repair replaces "balanced_scorecard" with "milestone_project_followup"
    And a repair stops using "balanced_scorecard"
    And every repair clears "measurement_misfit:balanced_scorecard"
    And every repair changes only levers and models

  Scenario: A unit the organisation imposes a scorecard on is exempted from it
    Given the organisation file "../examples/electricity-distribution.yaml"
    When what-if asks what would take "digital-team" out of "measurement_misfit:balanced_scorecard"
    Then the first repair exempts the unit from "balanced_scorecard"

  Scenario: A unit leaves the camps on a model by changing models, and the repair says what it creates
    Given the organisation file "../examples/electricity-distribution.yaml"
    When what-if asks what would take "grid-operations" out of "units_split_on_model:group:resource_steering"
    Then the first repair replaces "resource_steering" with "continuity_leadership"
    And every repair clears "units_split_on_model:group:resource_steering"
    And the first repair creates "units_split_on_model:group:continuity_leadership"

  Scenario: A statutory service is not told to compete on price to fit its figures
    Given the organisation file "../examples/municipality.yaml"
    When what-if asks what would take "social-health" out of "measurement_misfit"
    Then no repair changes "cost_focus"
    And no repair changes "customer_value_basis"
    And a repair stops using "financial_time_series"

  Scenario: Crossing views are cleared by saying which view would have to move
    Given the organisation file "../examples/city-library.yaml"
    When what-if asks what would take "library" out of "perspective_conflict"
    Then a repair moves the "strategy" view to "public_administration"
    And a repair moves the "desired" view to "public_administration"

  Scenario: A mode is reached through management practices, not circumstances
    Given the organisation file "../examples/municipality.yaml"
    When what-if asks what would make "customer_service" the dominant mode of "social-health"
    Then a repair changes "feedback_reaction_speed" to "4"
    And every repair changes only levers and models
    And no repair changes "daily_flex_to_customer"

  Scenario: A circumstance changes only when what-if is allowed to change it
    Given a unit "works" with traits:
      | trait                      | value   |
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
    And what-if may also change "project_work_share"
    When what-if asks what would make "production" the dominant mode of "works"
    Then a repair changes "project_work_share" to "49.999999"

  Scenario: Nothing a manager can change turns project work into production
    Given the organisation file "../examples/manufacturer.yaml"
    When what-if asks what would make "production" the dominant mode of "rnd"
    Then no repair is found

  Scenario: Why the scorecard is not recommended for project work
    Given the organisation file "../examples/manufacturer.yaml"
    When why-not asks about "balanced_scorecard" for "rnd"
    Then the answer says "development" outweighs it
    And the answer names "profitability_first" as not fired because "profitability_before_growth" fails
    And the answer names "cost_focus" as not observed in "cost_leadership"

  Scenario: The plant's and the R&D unit's modes are settled, the thinly described group's is open
    Given the organisation file "../examples/manufacturer.yaml"
    When the settledness of "plant" is checked
    Then the dominant mode is settled
    When the settledness of "rnd" is checked
    Then the dominant mode is settled
    When the settledness of "group" is checked
    Then the dominant mode is open, and "customer_service" could lead
