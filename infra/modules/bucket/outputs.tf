output "id" {
  description = "Bucket name."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "name" {
  description = "Bucket name, known at plan (unlike id) and available once the bucket and its policy exist, e.g. for a count or for_each elsewhere."
  value       = var.name

  depends_on = [aws_s3_bucket.this, aws_s3_bucket_policy.this]
}
