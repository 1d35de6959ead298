# Sourced by the demo and by the scripts that fill a store from the simulator: secrets known to both the
# gateway and the simulator. Never use them for real webhooks.
export PAYPIPE_STRIPE_WEBHOOK_SECRETS=whsec_paypipe_demo_only
export PAYPIPE_SQUARE_SIGNATURE_KEYS=paypipe-demo-square-key
export PAYPIPE_SQUARE_NOTIFICATION_URL="http://127.0.0.1:$PORT/webhooks/square"
export PAYPIPE_ADYEN_HMAC_KEYS=44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056
export PAYPIPE_ADYEN_BASIC_AUTH=paypipe-demo:demo-password
export PAYPIPE_BRAINTREE_KEYS=demo_public_key:demo_private_key
export PAYPIPE_BRAINTREE_MERCHANT_CURRENCIES='*=USD'
