DROP TABLE measurement_view_daily;
DROP TABLE measurement_campaign_daily;
DROP TABLE measurement_campaign_units;
DROP TABLE measurement_metric_daily;
DROP TABLE measurement_exposure_daily;
DROP TABLE measurement_unit_values;
DROP TABLE measurement_exposures;
