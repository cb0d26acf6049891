Feature: Exploring inputs and sequences nobody wrote down
  The scenarios of the other features check the behaviours they name. This
  one runs a bounded slice of `mediaharness explore`: a seeded sample of
  inputs generated from the contract (boundary ids, reserved URL characters,
  non-ASCII and right-to-left text, surrounding whitespace, control
  characters, wrong JSON types, missing and extra fields, the other
  agency's files and jobs), each answer checked for a 5xx, for the status
  class of its input, against the contract, and for external IDs that
  round-trip exactly; then a sequence of operations across both agencies
  checked against a model. `mediaharness explore` runs the whole.

  @explore @isolation @destructive
  Scenario: A bounded exploration finds nothing
    When I explore generated inputs and sequences with seed 1 for at most 60 requests
    Then every answer kept the contract and the model
