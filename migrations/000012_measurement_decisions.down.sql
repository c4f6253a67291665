DROP TABLE IF EXISTS measurement_decisions;
