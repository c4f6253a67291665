DROP TABLE measurement_metrics;
