# Certificate, DNS and WAF logic, applied against a mocked AWS provider.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::098369216593:root" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }

  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:af-south-1:123456789012:certificate/1"
      domain_validation_options = [{
        domain_name           = "staging.mycandidate.org.za"
        resource_record_name  = "_x.staging.mycandidate.org.za."
        resource_record_type  = "CNAME"
        resource_record_value = "_y.acm-validations.aws."
      }]
    }
  }

  mock_resource "aws_acm_certificate_validation" {
    defaults = { certificate_arn = "arn:aws:acm:af-south-1:123456789012:certificate/1" }
  }

  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:af-south-1:123456789012:targetgroup/x/1" }
  }

  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:af-south-1:123456789012:regional/webacl/x/1" }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:af-south-1:123456789012:log-group:aws-waf-logs-x" }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:af-south-1:123456789012:loadbalancer/app/x/1"
      dns_name = "x-1.af-south-1.elb.amazonaws.com"
      zone_id  = "Z268VQBMOI5EKX"
    }
  }
}

variables {
  name              = "mycandidate-staging"
  vpc_id            = "vpc-1"
  public_subnet_ids = ["subnet-a", "subnet-b"]
  security_group_id = "sg-alb"
  domain_name       = "staging.mycandidate.org.za"
  container_port    = 8000
  logs_kms_key_arn  = "arn:aws:kms:af-south-1:123456789012:key/logs"
}

run "with_a_zone_terraform_validates_and_points_the_name" {
  variables {
    route53_zone = { zone_id = "Z0ZONE" }
  }

  assert {
    condition     = length(aws_route53_record.validation) == 1 && aws_acm_certificate_validation.this.validation_record_fqdns != null
    error_message = "the validation records go to the zone and the validation waits on them"
  }

  assert {
    condition     = keys(aws_route53_record.site) == ["A", "AAAA"] && alltrue([for r in aws_route53_record.site : r.alias[0].name == "x-1.af-south-1.elb.amazonaws.com"])
    error_message = "the site's name is an IPv4 and IPv6 alias of the dual-stack ALB"
  }

  assert {
    condition     = aws_lb.this.ip_address_type == "dualstack"
    error_message = "the ALB serves IPv6 too"
  }

  assert {
    condition     = aws_lb_listener.prod.certificate_arn == aws_acm_certificate_validation.this.certificate_arn && aws_lb_listener.test.certificate_arn == aws_acm_certificate_validation.this.certificate_arn
    error_message = "HTTPS listeners take the validated certificate"
  }
}

run "without_a_zone_the_apply_waits_for_records_added_by_hand" {
  assert {
    condition     = length(aws_route53_record.validation) == 0 && length(aws_route53_record.site) == 0
    error_message = "no Route 53 records without a zone"
  }

  assert {
    condition     = aws_acm_certificate_validation.this.certificate_arn == aws_acm_certificate.this.arn && aws_lb_listener.prod.certificate_arn == aws_acm_certificate_validation.this.certificate_arn
    error_message = "listeners still wait for the validation resource"
  }

  assert {
    condition     = output.certificate_validation_records[0].type == "CNAME"
    error_message = "the records to add by hand are an output"
  }
}

run "rate_rule_counts_api_and_search_only" {
  assert {
    condition     = one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "rate-limit-api-and-search"]).statement[0].rate_based_statement[0].limit == 10000
    error_message = "the default limit fits voters behind carrier-grade NAT"
  }

  assert {
    condition = (
      length(one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "rate-limit-api-and-search"]).action[0].count) == 1 &&
      length(one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "rate-limit-api-and-search"]).action[0].block) == 0
    )
    error_message = "the rule counts before it blocks"
  }

  assert {
    condition = [
      for s in one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "rate-limit-api-and-search"]).statement[0].rate_based_statement[0].scope_down_statement[0].or_statement[0].statement :
      s.byte_match_statement[0].search_string
    ] == ["/api/", "q="]
    error_message = "only API calls and searches count towards the limit"
  }
}

run "rate_rule_blocks_once_switched" {
  variables {
    waf_rate_limit_action = "BLOCK"
  }

  assert {
    condition     = length(one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "rate-limit-api-and-search"]).action[0].block) == 1
    error_message = "BLOCK blocks"
  }
}

run "ipv4_only_gets_no_aaaa_record" {
  variables {
    route53_zone = { zone_id = "Z0ZONE" }
    dual_stack   = false
  }

  assert {
    condition     = keys(aws_route53_record.site) == ["A"] && aws_lb.this.ip_address_type == "ipv4"
    error_message = "without IPv6 subnets the ALB is IPv4 and the site has an A record only"
  }
}
