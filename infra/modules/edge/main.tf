data "aws_caller_identity" "current" {}
data "aws_elb_service_account" "current" {}

locals {
  log_bucket_name = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  tls_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  # Listeners take the ARN from the validation resource, so they are created
  # only once ACM says the certificate is issued.
  certificate_arn = aws_acm_certificate_validation.this.certificate_arn
  # Records are keyed on whether a zone is given (known at plan), never on
  # its id, which may come from a zone created in the same apply.
  validation = { for o in aws_acm_certificate.this.domain_validation_options : o.domain_name => o }
}

# ---------------------------------------------------------------- certificate
resource "aws_acm_certificate" "this" {
  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

# With a Route 53 zone Terraform writes the validation records itself;
# without one, the records go to the DNS host by hand (infra/README.md) and
# the apply waits here until ACM has seen them.
# Keyed by the names the certificate covers (known at plan), not by its
# computed validation options.
resource "aws_route53_record" "validation" {
  for_each = var.route53_zone == null ? toset([]) : toset([var.domain_name])

  zone_id = var.route53_zone.zone_id
  name    = local.validation[each.key].resource_record_name
  type    = local.validation[each.key].resource_record_type
  records = [local.validation[each.key].resource_record_value]
  ttl     = 300
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = var.route53_zone == null ? null : [for r in aws_route53_record.validation : r.fqdn]

  timeouts {
    create = var.certificate_validation_timeout
  }
}

# ---------------------------------------------------------------- access logs
data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "ElbWritesAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.log_bucket_name}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }
}

module "access_logs" {
  source = "../bucket"

  name                               = local.log_bucket_name
  policy_documents                   = [data.aws_iam_policy_document.log_delivery.json]
  expiration_days                    = var.log_retention_days
  noncurrent_version_expiration_days = 7
}

# ---------------------------------------------------------------- load balancer
resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:The Log4j rule set (KnownBadInputs) is on the attached web ACL; the check also demands the Anonymous IP list, which would lock out voters who use a VPN or Tor.
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  ip_address_type            = var.dual_stack ? "dualstack" : "ipv4"
  subnets                    = var.public_subnet_ids
  security_groups            = [var.security_group_id]
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "strictest"
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = module.access_logs.id
    prefix  = "alb"
    enabled = true
  }

  # ELB checks it may write to the bucket when access logs are turned on: the
  # bucket policy granting that must exist first.
  depends_on = [module.access_logs]
}

# ---------------------------------------------------------------- DNS
# The site's name points at the dual-stack ALB, IPv4 and IPv6 (alias
# records: no TTL to wait out, no charge for queries), when the zone is in
# Route 53.
resource "aws_route53_record" "site" {
  for_each = var.route53_zone == null ? toset([]) : toset(var.dual_stack ? ["A", "AAAA"] : ["A"])

  zone_id = var.route53_zone.zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}

# Blue and green take turns serving; CodeDeploy moves the listeners between them.
resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; ALB-to-task traffic stays inside private subnets behind security groups, and the container speaks plain HTTP.
  for_each = toset(["blue", "green"])

  name                 = "${var.name}-${each.key}"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.container_port
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# ---------------------------------------------------------------- listeners
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# CodeDeploy rewrites the forward target of these two on every release.
resource "aws_lb_listener" "prod" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = local.tls_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this["blue"].arn
  }

  lifecycle {
    ignore_changes = [default_action]
  }
}

resource "aws_lb_listener" "test" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.test_listener_port
  protocol          = "HTTPS"
  ssl_policy        = local.tls_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this["blue"].arn
  }

  lifecycle {
    ignore_changes = [default_action]
  }
}

# ---------------------------------------------------------------- WAF
resource "aws_wafv2_web_acl" "this" {
  name  = var.name
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  # OWASP-style common attacks
  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # known exploit inputs, Log4Shell included
  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # sources on Amazon's threat lists
  rule {
    name     = "AWSManagedRulesAmazonIpReputationList"
    priority = 30

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesAmazonIpReputationList"
      sampled_requests_enabled   = true
    }
  }

  # SQL injection
  rule {
    name     = "AWSManagedRulesSQLiRuleSet"
    priority = 40

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesSQLiRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesSQLiRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # Per client IP, on the API and searches only: a mobile carrier's
  # carrier-grade NAT puts thousands of voters behind one address, so pages and
  # static files are never counted, the limit is high, and the rule counts
  # (COUNT) until its CloudWatch metric shows what real traffic looks like.
  rule {
    name     = "rate-limit-api-and-search"
    priority = 50

    action {
      dynamic "count" {
        for_each = var.waf_rate_limit_action == "COUNT" ? [1] : []
        content {}
      }

      dynamic "block" {
        for_each = var.waf_rate_limit_action == "BLOCK" ? [1] : []
        content {}
      }
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"

        scope_down_statement {
          or_statement {
            statement {
              byte_match_statement {
                search_string         = "/api/"
                positional_constraint = "STARTS_WITH"

                field_to_match {
                  uri_path {}
                }

                text_transformation {
                  priority = 0
                  type     = "LOWERCASE"
                }
              }
            }

            # The voter's page searches with ?q=
            statement {
              byte_match_statement {
                search_string         = "q="
                positional_constraint = "CONTAINS"

                field_to_match {
                  query_string {}
                }

                text_transformation {
                  priority = 0
                  type     = "LOWERCASE"
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-limit-api-and-search"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

# WAF only logs to groups whose name starts with aws-waf-logs-.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Session cookies never reach the logs.
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}
