DROP TABLE IF EXISTS measurement_kpi_conversions;
DROP TABLE IF EXISTS measurement_kpi_days;
DROP TABLE IF EXISTS measurement_kpi_visitors;
