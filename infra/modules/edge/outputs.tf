output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the ALB; point the domain's alias record at it."
  value       = aws_lb.this.dns_name
}

output "target_group_arns" {
  description = "ARNs of the blue and green target groups, by colour."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn }

  # ECS refuses a target group that no listener uses yet.
  depends_on = [aws_lb_listener.prod, aws_lb_listener.test]
}

output "target_group_names" {
  description = "Names of the blue and green target groups, by colour."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.name }
}

output "target_group_arn_suffixes" {
  description = "ARN suffixes of the target groups (CloudWatch dimension), by colour."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "prod_listener_arn" {
  description = "HTTPS listener serving production traffic."
  value       = aws_lb_listener.prod.arn
}

output "test_listener_arn" {
  description = "HTTPS listener CodeDeploy routes to the replacement task set before the switch."
  value       = aws_lb_listener.test.arn
}

output "test_listener_url" {
  description = "URL of the test listener."
  value       = "https://${var.domain_name}:${var.test_listener_port}"
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate; add them at the DNS host when no Route 53 zone is given."
  value = [for o in aws_acm_certificate.this.domain_validation_options : {
    name  = o.resource_record_name
    type  = o.resource_record_type
    value = o.resource_record_value
  }]
}

output "waf_acl_name" {
  description = "Name of the WAF web ACL (CloudWatch dimension)."
  value       = aws_wafv2_web_acl.this.name
}

output "site_records" {
  description = "Route 53 alias records of the site (empty without a zone)."
  value       = [for r in aws_route53_record.site : r.fqdn]
}
