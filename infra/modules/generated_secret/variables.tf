variable "name" {
  description = "Secret name, e.g. mycandidate-prod/secret-key."
  type        = string
}

variable "description" {
  description = "What the secret is for."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key the secret is encrypted with."
  type        = string
}

variable "length" {
  description = "Length of the generated value (letters and digits)."
  type        = number
  default     = 64
}

variable "value_version" {
  description = "Bump to generate and store a new value."
  type        = number
  default     = 1
}
