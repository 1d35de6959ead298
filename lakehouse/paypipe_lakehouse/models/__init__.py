"""Trains paypipe's fraud, churn and retry models from the training tables and exports them as JSON."""
