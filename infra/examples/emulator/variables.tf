variable "endpoint_url" {
  description = "URL of the moto server every AWS call goes to (e.g. http://127.0.0.1:5000)."
  type        = string
}
