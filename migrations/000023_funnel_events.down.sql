DROP TABLE IF EXISTS measurement_funnel_events;
DROP TABLE IF EXISTS measurement_funnel_names;
