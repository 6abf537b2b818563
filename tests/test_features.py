"""Run every feature file in features/ with the step library that ships in modeadvisor.bdd."""

from pytest_bdd import scenarios

scenarios("../features")
