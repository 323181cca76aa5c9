"""The catalogue of order actions (:mod:`.catalogue`), their typed inputs (:mod:`.inputs`) and
service calls (:mod:`.calls`)."""
