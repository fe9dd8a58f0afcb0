# A random value generated at apply time and written straight into Secrets
# Manager as a write-only argument: it never appears in plans or state.
ephemeral "aws_secretsmanager_random_password" "this" {
  password_length     = var.length
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:The value rotates by bumping value_version; an app signing key (e.g. Flask's SECRET_KEY) must not change under running sessions on a timer.
  name        = var.name
  description = var.description
  kms_key_id  = var.kms_key_arn
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id                = aws_secretsmanager_secret.this.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.this.random_password
  secret_string_wo_version = var.value_version
}
