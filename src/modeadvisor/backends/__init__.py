"""How rules are run: the durable-rules engine and the vectorised numpy evaluator."""
