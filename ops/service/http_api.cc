#include "ops/service/http_api.h"

#include <httplib.h>

#include <charconv>
#include <chrono>
#include <regex>

#include "ops/service/limits.h"

namespace mkt::service {
namespace {

using httplib::Request;
using httplib::Response;
using SteadyClock = std::chrono::steady_clock;

struct Reply {
  Reply() = default;
  Reply(int status_code, Json json) : status(status_code), body(std::move(json)) {}
  // A 200 whose body is JSON text already (the order list).
  static Reply Text(std::string json_text) {
    Reply reply;
    reply.text = std::move(json_text);
    return reply;
  }

  int status = 200;
  Json body;
  std::string text;  // sent instead of body.dump() when set
};

Reply Error(int status, std::string_view code, std::string message) {
  return Reply{status, Json{{"error", {{"code", code}, {"message", std::move(message)}}}}};
}

Reply FromError(const cli::CommandError& e) {
  if (e.not_found) return Error(404, "not_found", HttpParameterMessage(e.message));
  if (e.exit_code == cli::kExitUsage) return Error(400, "bad_parameter", HttpParameterMessage(e.message));
  return Error(503, "unavailable", e.message);
}

Reply FromAnswer(cli::Answer answer) {
  if (auto* error = std::get_if<cli::CommandError>(&answer)) return FromError(*error);
  return Reply{200, std::move(std::get<Json>(answer))};
}

void Send(Response& res, const Reply& reply) {
  res.status = reply.status;
  if (reply.status == 401) res.set_header("WWW-Authenticate", "Bearer");  // RFC 6750
  res.set_content(reply.text.empty() ? reply.body.dump() : reply.text, "application/json");
}

Reply Forbidden(std::string_view needs) {
  return Error(403, "forbidden", "this token's roles do not include " + std::string(needs));
}

// The value of query parameter `name`, or "" when absent.
std::string Param(const Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// A 400 naming the first query parameter the route does not take.
std::optional<Reply> CheckParams(const Request& req, std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Error(400, "unknown_parameter",
                 name + ": not a parameter of this route" +
                     (list.empty() ? std::string(" (it takes none)") : " (it takes " + list + ")"));
  }
  return std::nullopt;
}

// Parses `limit`-like parameters into `out` (unchanged when absent).
std::optional<Reply> SizeParam(const Request& req, const char* name, size_t* out) {
  const std::string text = Param(req, name);
  if (text.empty()) return std::nullopt;
  size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error(400, "bad_parameter", std::string(name) + ": \"" + text + "\" is not a whole number");
  }
  *out = value;
  return std::nullopt;
}

std::optional<std::string_view> BearerToken(const Request& req) {
  const auto it = req.headers.find("Authorization");
  if (it == req.headers.end()) return std::nullopt;
  std::string_view value = it->second;
  constexpr std::string_view kScheme = "Bearer ";
  if (!value.starts_with(kScheme)) return std::nullopt;
  value.remove_prefix(kScheme.size());
  return value;
}

bool IsPublicPath(const std::string& path) {
  return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// NDJSON body -> decoded lines, numbered as `ingest` numbers them.
std::vector<IngestLine> DecodeBody(std::string_view body) {
  thread_local JsonDecoder decoder;  // one per HTTP worker (it is not thread-safe)
  std::vector<IngestLine> lines;
  uint64_t line_no = 0;
  while (!body.empty()) {
    const size_t eol = body.find('\n');
    const std::string_view line = body.substr(0, eol);
    body.remove_prefix(eol == std::string_view::npos ? body.size() : eol + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
    lines.push_back(IngestLine{line_no, decoder.Decode(line)});
  }
  return lines;
}

}  // namespace

std::string HttpParameterMessage(std::string message) {
  static const std::regex kOption("--([a-z][a-z-]*)");
  std::string out;
  auto begin = std::sregex_iterator(message.begin(), message.end(), kOption);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += message.substr(last, static_cast<size_t>(it->position()) - last);
    std::string name = (*it)[1].str();
    std::replace(name.begin(), name.end(), '-', '_');
    out += name;
    last = static_cast<size_t>(it->position() + it->length());
  }
  return out + message.substr(last);
}

// Everything below runs on HTTP worker threads.
class Routes {
 public:
  Routes(cli::Context* ctx, LedgerWriter* writer, TokenStore* tokens, Probes* probes,
         HttpApiOptions options)
      : ctx_(ctx), writer_(writer), tokens_(tokens), probes_(probes), options_(options) {}

  using Handler = Reply (Routes::*)(const Request&, const Principal&);

  // A route needing a token; `route` labels its metrics.
  void Add(httplib::Server* server, const char* method, const char* pattern, const char* route,
           Handler handler) {
    auto wrapped = [this, route, handler](const Request& req, Response& res) {
      const auto start = SteadyClock::now();
      Reply reply;
      if (auto principal = Authenticate(req, &reply)) reply = (this->*handler)(req, *principal);
      Send(res, reply);
      probes_->http.Request(route, req.method, reply.status, SecondsSince(start));
    };
    if (std::string_view(method) == "GET") {
      server->Get(pattern, wrapped);
    } else {
      server->Post(pattern, wrapped);
    }
  }

  std::optional<Principal> Authenticate(const Request& req, Reply* failure) const {
    const auto token = BearerToken(req);
    if (!token) {
      *failure = Error(401, "unauthorized", "Authorization: Bearer TOKEN is missing");
      return std::nullopt;
    }
    auto principal = tokens_->Get()->Find(*token);
    if (!principal) *failure = Error(401, "unauthorized", "the bearer token is not in the tokens file");
    return principal;
  }

  // Limits checked before the body is read: header count, token, body size.
  std::optional<Reply> PreRoute(const Request& req) const {
    if (req.headers.size() > limits::kHttpHeadersMax) {
      return Error(431, "headers_too_large",
                   "the request has " + std::to_string(req.headers.size()) + " header lines; at most " +
                       std::to_string(limits::kHttpHeadersMax));
    }
    if (IsPublicPath(req.path)) return std::nullopt;
    Reply failure;
    if (!Authenticate(req, &failure)) return failure;
    // cpp-httplib parses these bodies as form fields; ours are NDJSON.
    const std::string type = req.get_header_value("Content-Type");
    if (type.starts_with("application/x-www-form-urlencoded") || type.starts_with("multipart/form-data")) {
      return Error(415, "unsupported_media_type",
                   "Content-Type: \"" + type + "\" is not accepted; send application/x-ndjson");
    }
    if (req.has_header("Content-Length")) {
      const std::string text = req.get_header_value("Content-Length");
      size_t length = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return Error(400, "bad_request", "Content-Length: \"" + text + "\" is not a number");
      }
      if (length > options_.body_bytes_max) return TooLarge(length);
    }
    return std::nullopt;
  }

  Reply TooLarge(size_t length) const {
    return Error(413, "payload_too_large",
                 "body: " + (length ? std::to_string(length) + " bytes is" : std::string("it is")) +
                     " over the limit of " + std::to_string(options_.body_bytes_max) +
                     " bytes (serve --body-max-bytes)");
  }

  Reply PostEvents(const Request& req, const Principal& p) {
    if (!p.ingest) return Forbidden("ingest");
    if (auto bad = CheckParams(req, {})) return *bad;
    auto result = writer_->Ingest(DecodeBody(req.body));
    if (auto* error = std::get_if<cli::CommandError>(&result)) return Error(503, "unavailable", error->message);
    return Reply{200, std::get<IngestSummary>(result).ToJson()};
  }

  Reply SellerOrders(const Request& req, const Principal& p) {
    const std::string seller = req.matches[1];
    if (!p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (auto bad = CheckParams(req, {"status", "kind", "product", "buyer", "channel", "from", "to",
                                     "limit", "cursor"})) {
      return *bad;
    }
    cli::OrdersArgs args{.seller = seller,
                         .status = Param(req, "status"),
                         .kind = Param(req, "kind"),
                         .product = Param(req, "product"),
                         .buyer = Param(req, "buyer"),
                         .channel = Param(req, "channel"),
                         .from = Param(req, "from"),
                         .to = Param(req, "to"),
                         .cursor = Param(req, "cursor")};
    if (auto bad = SizeParam(req, "limit", &args.limit)) return *bad;
    auto text = cli::OrdersAnswerText(*ctx_, args);
    if (auto* error = std::get_if<cli::CommandError>(&text)) return FromError(*error);
    return Reply::Text(std::move(std::get<std::string>(text)));
  }

  // The owning seller (one of the token's sellers) or an auditor; an auditor
  // names the seller with ?seller= when several sellers use the order id.
  Reply Order(const Request& req, const Principal& p) {
    const std::string order_id = req.matches[1];
    if (auto bad = CheckParams(req, {"seller"})) return *bad;
    std::string seller = Param(req, "seller");
    if (!seller.empty() && !p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (seller.empty() && !p.auditor) {
      if (p.sellers.empty()) return Forbidden("a seller role or auditor");
      const std::vector<std::string> owners = ctx_->orders().SellersOf(order_id);
      for (const std::string& owner : owners) {
        if (p.sellers.contains(owner)) seller = owner;
      }
      if (seller.empty() && !owners.empty()) return Forbidden("the seller of order " + order_id);
      if (seller.empty()) return Error(404, "not_found", "no order " + order_id);
    }
    return FromAnswer(cli::OrderAnswer(*ctx_, order_id, seller));
  }

  Reply Coupons(const Request& req, const Principal& p) {
    const std::string seller = req.matches[1];
    if (!p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (auto bad = CheckParams(req, {"as_of"})) return *bad;
    return FromAnswer(cli::CouponsAnswer(*ctx_, seller, Param(req, "as_of")));
  }

  Reply Settlement(const Request& req, const Principal& p) {
    const std::string seller = req.matches[1];
    if (!p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (auto bad = CheckParams(req, {"limit", "cursor"})) return *bad;
    cli::SettlementArgs args{.seller = seller, .period = req.matches[2], .cursor = Param(req, "cursor")};
    if (auto bad = SizeParam(req, "limit", &args.limit)) return *bad;
    return FromAnswer(cli::SettlementAnswer(*ctx_, args));
  }

  Reply Close(const Request& req, const Principal& p) {
    if (!p.admin) return Forbidden("admin");
    if (auto bad = CheckParams(req, {})) return *bad;
    return FromAnswer(writer_->Settle(req.matches[1]));
  }

  Reply ResellerStatement(const Request& req, const Principal& p) {
    if (!p.auditor && !p.admin) return Forbidden("auditor or admin");
    if (auto bad = CheckParams(req, {})) return *bad;
    return FromAnswer(cli::ResellerStatementAnswer(*ctx_, req.matches[1], req.matches[2]));
  }

  Reply Invoices(const Request& req, const Principal& p) {
    const std::string seller = req.matches[1];
    if (!p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (auto bad = CheckParams(req, {"status", "as_of"})) return *bad;
    return FromAnswer(cli::InvoicesAnswer(*ctx_, seller, Param(req, "status"), Param(req, "as_of")));
  }

  // The seller that lists the product (one of the token's sellers) or an
  // auditor; ?seller= picks one when several sellers use the product id.
  Reply ProductStrength(const Request& req, const Principal& p) {
    const std::string product = req.matches[1];
    if (auto bad = CheckParams(req, {"as_of", "seller"})) return *bad;
    std::string seller = Param(req, "seller");
    if (!seller.empty() && !p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (seller.empty() && !p.auditor) {
      if (p.sellers.empty()) return Forbidden("a seller role or auditor");
      const std::vector<std::string> owners = cli::SellersOfProduct(ctx_->store(), product);
      for (const std::string& owner : owners) {
        if (p.sellers.contains(owner)) seller = owner;
      }
      if (seller.empty() && !owners.empty()) return Forbidden("the seller of product " + product);
      if (seller.empty()) return Error(404, "not_found", "product " + product + ": no seller lists it");
    }
    cli::StrengthArgs args;
    args.product = product;
    args.seller = seller;
    args.as_of = Param(req, "as_of");
    return StrengthReply(args);
  }

  Reply SellerStrength(const Request& req, const Principal& p) {
    const std::string seller = req.matches[1];
    if (!p.MayReadSeller(seller)) return Forbidden("seller:" + seller + " or auditor");
    if (auto bad = CheckParams(req, {"tier", "as_of"})) return *bad;
    cli::StrengthArgs args;
    args.seller = seller;
    args.tier = Param(req, "tier");
    args.as_of = Param(req, "as_of");
    return StrengthReply(args);
  }

  Reply StrengthReply(const cli::StrengthArgs& args) {
    auto answer = cli::StrengthAnswer(*ctx_, args);
    if (auto* error = std::get_if<cli::CommandError>(&answer)) {
      cli::CommandError e = *error;
      // "--product P: …" names the path's product, not a query parameter.
      if (e.message.starts_with("--product ")) e.message = e.message.substr(2);
      return FromError(e);
    }
    return Reply{200, cli::StrengthScoresJson(std::get<cli::StrengthScores>(answer))};
  }

  Reply Verify(const Request& req, const Principal& p) {
    if (!p.auditor) return Forbidden("auditor");
    if (auto bad = CheckParams(req, {})) return *bad;
    return FromAnswer(writer_->Verify());
  }

  void Public(httplib::Server* server, const char* path, std::function<void(Response&)> answer) {
    server->Get(path, [this, path, answer](const Request& req, Response& res) {
      const auto start = SteadyClock::now();
      answer(res);
      probes_->http.Request(path, req.method, res.status, SecondsSince(start));
    });
  }

  void InstallPublic(httplib::Server* server) {
    Public(server, "/metrics", [this](Response& res) { res.set_content(probes_->Scrape(), kMetricsContentType); });
  }

  void Install(httplib::Server* server) {
    server->set_payload_max_length(options_.body_bytes_max);  // chunked bodies, which have no length
    server->set_pre_routing_handler([this](const Request& req, Response& res) {
      auto reply = PreRoute(req);
      if (!reply) return httplib::Server::HandlerResponse::Unhandled;
      Send(res, *reply);
      probes_->http.Request("unrouted", req.method, reply->status, 0);
      return httplib::Server::HandlerResponse::Handled;
    });
    // Called for every response >= 400; fills in a JSON body where the
    // library answered on its own (unknown route, oversized chunked body).
    const httplib::Server::HandlerWithResponse on_error = [this](const Request& req, Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      Reply reply = res.status == 404 ? Error(404, "not_found", "no route " + req.method + " " + req.path)
                    : res.status == 413 ? TooLarge(0)
                                        : Error(res.status, "bad_request", "the request is malformed");
      Send(res, reply);
      probes_->http.Request("unrouted", req.method, reply.status, 0);
      return httplib::Server::HandlerResponse::Handled;
    };
    server->set_error_handler(on_error);
    server->set_exception_handler([this](const Request& req, Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      Send(res, Error(500, "internal", what));
      probes_->http.Request("unrouted", req.method, 500, 0);
    });
    Public(server, "/healthz", [](Response& res) { Send(res, Reply{200, Json{{"status", "ok"}}}); });
    Public(server, "/readyz", [this](Response& res) {
      Send(res, writer_->Ready() ? Reply{200, Json{{"status", "ready"}}}
                                 : Error(503, "unavailable", "the writer cannot append (see the log)"));
    });
    InstallPublic(server);
    Add(server, "POST", "/v1/events", "/v1/events", &Routes::PostEvents);
    Add(server, "GET", R"(/v1/sellers/([^/]+)/orders)", "/v1/sellers/{s}/orders", &Routes::SellerOrders);
    Add(server, "GET", R"(/v1/orders/([^/]+))", "/v1/orders/{o}", &Routes::Order);
    Add(server, "GET", R"(/v1/sellers/([^/]+)/coupons)", "/v1/sellers/{s}/coupons", &Routes::Coupons);
    Add(server, "GET", R"(/v1/sellers/([^/]+)/settlements/([^/]+))", "/v1/sellers/{s}/settlements/{period}",
        &Routes::Settlement);
    Add(server, "POST", R"(/v1/settlements/([^/]+)/close)", "/v1/settlements/{period}/close", &Routes::Close);
    Add(server, "GET", R"(/v1/resellers/([^/]+)/statements/([^/]+))", "/v1/resellers/{r}/statements/{period}",
        &Routes::ResellerStatement);
    Add(server, "GET", R"(/v1/sellers/([^/]+)/invoices)", "/v1/sellers/{s}/invoices", &Routes::Invoices);
    Add(server, "GET", R"(/v1/products/([^/]+)/strength)", "/v1/products/{p}/strength", &Routes::ProductStrength);
    Add(server, "GET", R"(/v1/sellers/([^/]+)/strength)", "/v1/sellers/{s}/strength", &Routes::SellerStrength);
    Add(server, "GET", "/v1/audit/verify", "/v1/audit/verify", &Routes::Verify);
  }

 private:
  cli::Context* ctx_;
  LedgerWriter* writer_;
  TokenStore* tokens_;
  Probes* probes_;
  HttpApiOptions options_;
};

HttpApi::HttpApi(cli::Context* ctx, LedgerWriter* writer, TokenStore* tokens, Probes* probes,
                 HttpApiOptions options)
    : routes_(std::make_unique<Routes>(ctx, writer, tokens, probes, options)) {}

HttpApi::~HttpApi() = default;

void HttpApi::Install(httplib::Server* server) { routes_->Install(server); }

void HttpApi::InstallMetrics(httplib::Server* server) { routes_->InstallPublic(server); }

}  // namespace mkt::service
