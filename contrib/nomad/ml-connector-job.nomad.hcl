# One ml-connector job of one tenant as a Nomad periodic batch job: docs/deployment.md, "Scale-out".
# `submit TENANT` runs this file once per crontab line, naming each job
# ml-<name>-<tenant> in place of the label below (Nomad takes no variables in block labels),
# e.g. for ml-po-alerts-twilio-acme:
#   sed 's/^job "ml-connector-job"/job "ml-po-alerts-twilio-acme"/' ml-connector-job.nomad.hcl |
#     nomad job run -var tenant=acme -var 'cron=*/5 * * * *' -var 'command=["po-alerts-twilio"]' -
#
# The tenant's state directory is a host volume, ml-connector-<tenant>, declared on the one
# client that keeps it (with the tenant's master.key, mode 0600, owned by ml-connector):
#   client { host_volume "ml-connector-acme" { path = "/srv/ml-connector/acme" } }
# Nomad places every job that asks for the volume on that client, so flock(2) keeps runs
# of one job apart as under cron, and prohibit_overlap keeps Nomad from starting a job
# whose last run is still going. The programs are the client's own (`make install`).

variable "tenant" {
  type = string
}

variable "cron" {
  type = string
}

variable "command" {
  type        = list(string)
  description = "what ml-cron runs after the tenant: a program, its arguments, \"|\" between stages"
}

job "ml-connector-job" {
  type = "batch"

  periodic {
    crons            = [var.cron]
    prohibit_overlap = true
    time_zone        = "Local"
  }

  group "job" {
    # The next run is the retry: ml-cron has already said what failed.
    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      attempts  = 0
      unlimited = false
    }

    volume "state" {
      type      = "host"
      source    = "ml-connector-${var.tenant}"
      read_only = false
    }

    task "job" {
      driver = "exec"
      user   = "ml-connector"

      config {
        command = "/usr/local/bin/ml-cron"
        args    = concat([var.tenant], var.command)
      }

      env {
        ML_CONNECTOR_STATE = "/var/lib/ml-connector"
      }

      volume_mount {
        volume      = "state"
        destination = "/var/lib/ml-connector"
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
