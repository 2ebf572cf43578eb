# nginx + fcgiwrap + webhook-cgi for one tenant on Nomad: docs/deployment.md, "Scale-out".
#   sed 's/^job "ml-connector-webhooks"/job "ml-connector-webhooks-acme"/' ml-connector-webhooks.nomad.hcl |
#     nomad job run -var tenant=acme -
# (`submit TENANT` does this: Nomad takes no variables in block labels.)
# webhook-cgi spools into the tenant's volume, which shipbob-to-syspro and po-alerts-twilio
# drain, so this job asks for the same host volume and runs on the same client. Route
# https://<host>/webhooks/<tenant>/ to the registered service from the proxy that
# terminates TLS (ShipBob requires https).

variable "tenant" {
  type = string
}

job "ml-connector-webhooks" {
  type = "service"

  group "webhooks" {
    network {
      port "http" {}
    }

    service {
      name     = "ml-connector-webhooks-${var.tenant}"
      port     = "http"
      provider = "nomad"
      tags     = ["ml-connector", "tenant-${var.tenant}"]
    }

    volume "state" {
      type      = "host"
      source    = "ml-connector-${var.tenant}"
      read_only = false
    }

    # The two tasks share the allocation directory (/alloc): the FastCGI socket is there.
    task "fcgiwrap" {
      driver = "exec"
      user   = "ml-connector"

      config {
        command = "/usr/sbin/fcgiwrap"
        args    = ["-f", "-c", "4", "-s", "unix:/alloc/fcgiwrap-ml-connector.socket"]
      }

      volume_mount {
        volume      = "state"
        destination = "/var/lib/ml-connector"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }

    task "nginx" {
      driver = "exec"
      user   = "ml-connector"

      config {
        command = "/usr/sbin/nginx"
        args    = ["-c", "/local/nginx.conf", "-g", "daemon off;"]
      }

      # The location block is etc/nginx-webhooks.conf as installed, with the socket in /alloc.
      template {
        destination = "local/nginx.conf"
        data        = <<-CONF
          worker_processes 1;
          pid /local/nginx.pid;
          error_log stderr warn;
          events { worker_connections 256; }
          http {
              access_log off;
              client_body_temp_path /local/body;
              fastcgi_temp_path /local/fastcgi;
              proxy_temp_path /local/proxy;
              uwsgi_temp_path /local/uwsgi;
              scgi_temp_path /local/scgi;
              server {
                  listen {{ env "NOMAD_PORT_http" }};
                  location ~ ^/webhooks/[a-z0-9_-]+/(shipbob|twilio)$ {
                      client_max_body_size 8m;
                      client_body_buffer_size 1m;
                      include /etc/nginx/fastcgi_params;
                      fastcgi_param SCRIPT_FILENAME /usr/local/lib/ml-connector/webhook-cgi;
                      fastcgi_param ML_CONNECTOR_STATE /var/lib/ml-connector;
                      fastcgi_pass unix:/alloc/fcgiwrap-ml-connector.socket;
                  }
              }
          }
        CONF
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
