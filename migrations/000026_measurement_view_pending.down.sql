DROP TABLE measurement_view_pending;
