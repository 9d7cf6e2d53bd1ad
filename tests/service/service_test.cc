// `ledger serve` against a real process on loopback (INTERFACE.md "HTTP API"):
// every route and role, auth failures, limits, answers equal to the CLI's,
// concurrent ingest with nothing lost, metrics, timers, SIGHUP and SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/service/serve_process.h"

namespace mkt::test {
namespace {

using nlohmann::json;

const char* kNow = "2026-12-01T00:00:00+08:00";

// A small story for seller `seller` (ids prefixed so two sellers do not share
// event ids): two products, a paid order, an unpaid one (it expires
// 2026-10-11), a voided trial.
std::string Story(const std::string& seller) {
  const std::vector<std::string> lines = {
      R"({"type":"ProductListed","event_id":"E-001","at":"2026-10-01T09:00:00+08:00","seller_id":"S","product_id":"erp-std","name":"ERP SaaS","category":"saas"})",
      R"({"type":"ResellerRateSet","event_id":"E-003","at":"2026-10-01T09:10:00+08:00","seller_id":"S","product_id":"erp-std","rate_bp":2000})",
      R"({"type":"OrderPlaced","event_id":"E-010","at":"2026-10-03T10:00:00+08:00","seller_id":"S","order_id":"ord-1","product_id":"erp-std","buyer_id":"buyer-a","kind":"new","quantity":1,"list_price":"2000.00","channel":"store"})",
      R"({"type":"OrderPaid","event_id":"E-012","at":"2026-10-03T11:00:00+08:00","seller_id":"S","order_id":"ord-1","cash":"1500.00","voucher":"500.00"})",
      R"({"type":"OrderPlaced","event_id":"E-020","at":"2026-10-04T15:30:00+08:00","seller_id":"S","order_id":"ord-2","product_id":"erp-std","buyer_id":"buyer-b","kind":"new","quantity":2,"list_price":"4000.00","channel":"reseller","reseller_id":"partner-7"})",
      R"({"type":"OrderPlaced","event_id":"E-040","at":"2026-10-06T20:00:00+08:00","seller_id":"S","order_id":"ord-4","product_id":"erp-std","buyer_id":"buyer-c","kind":"trial","quantity":1,"list_price":"0.00","channel":"store"})",
      R"({"type":"OrderVoided","event_id":"E-041","at":"2026-10-06T21:00:00+08:00","seller_id":"S","order_id":"ord-4","reason":"buyer_cancelled"})",
  };
  std::string out;
  for (std::string line : lines) {
    line = std::regex_replace(line, std::regex(R"("seller_id":"S")"), "\"seller_id\":\"" + seller + "\"");
    line = std::regex_replace(line, std::regex(R"("event_id":"E-)"), "\"event_id\":\"" + seller + "-");
    out += line + "\n";
  }
  return out;
}

std::string Output(const std::vector<std::string>& argv, int* exit_code = nullptr, const std::string& input = "") {
  const ProcessResult r = RunProcess(argv, input);
  if (exit_code != nullptr) *exit_code = r.exit_code;
  return r.out;
}

// Parses the Prometheus text format strictly: every sample line is
// `name{labels} value`; returns "name{labels}" -> value.
std::map<std::string, double> ParseMetrics(const std::string& text) {
  // Label values are quoted and may hold braces (route="/v1/orders/{o}").
  static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})? (\S+)$)");
  std::map<std::string, double> samples;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(line, m, kSample)) << "not a sample line: " << line;
    if (!m.empty()) samples[m[1].str() + m[2].str()] = std::stod(m[3].str());
  }
  return samples;
}

// One store with two sellers' stories, served for the whole suite.
class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    server_ = new ServeProcess(scratch_->path() + "/store", {"--now", kNow}, {"--no-timers"});
    auto client = server_->Client("tok-ingest");
    const HttpReply r = Post(*client, "/v1/events", Story("S1") + Story("S2"));
    ASSERT_EQ(r.status, 200) << r.text;
    ASSERT_EQ(r.body["summary"], json::parse(R"({"accepted":14,"duplicate":0,"rejected":0})"));
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0) << server_->stderr_text();
    delete server_;
    delete scratch_;
  }
  static HttpReply As(const std::string& token, const std::string& path) {
    return Get(*server_->Client(token), path);
  }
  static ScratchDir* scratch_;
  static ServeProcess* server_;
};
ScratchDir* ServeApi::scratch_ = nullptr;
ServeProcess* ServeApi::server_ = nullptr;

TEST_F(ServeApi, HealthReadyAndMetricsNeedNoToken) {
  EXPECT_EQ(As("", "/healthz").status, 200);
  EXPECT_EQ(As("", "/readyz").body, json::parse(R"({"status":"ready"})"));
  const HttpReply metrics = As("", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.text.find("ledger_events_accepted_total"), std::string::npos);
}

// Every protected route, with the expected status per token.
struct RouteCase {
  const char* method;
  std::string path;
  std::map<std::string, int> status_by_token;
};

std::vector<RouteCase> RouteCases() {
  const int ok = 200, no = 403;
  return {
      {"POST", "/v1/events", {{"tok-ingest", ok}, {"tok-auditor", no}, {"tok-admin", no}, {"tok-seller-1", no}}},
      {"GET", "/v1/sellers/S1/orders", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}, {"tok-ingest", no}, {"tok-admin", no}}},
      {"GET", "/v1/orders/ord-1?seller=S1", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}, {"tok-ingest", no}}},
      {"GET", "/v1/sellers/S1/coupons", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}, {"tok-admin", no}}},
      {"GET", "/v1/sellers/S1/settlements/2026-10", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}}},
      {"GET", "/v1/resellers/partner-7/statements/2026-10", {{"tok-auditor", ok}, {"tok-admin", ok}, {"tok-seller-1", no}, {"tok-ingest", no}}},
      {"GET", "/v1/sellers/S1/invoices?status=requested", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}}},
      {"GET", "/v1/products/erp-std/strength?seller=S1&as_of=2026-10-31", {{"tok-seller-1", ok}, {"tok-auditor", ok}, {"tok-seller-2", no}}},
      {"GET", "/v1/sellers/S2/strength?as_of=2026-10-31", {{"tok-seller-2", ok}, {"tok-auditor", ok}, {"tok-seller-1", no}}},
      {"GET", "/v1/audit/verify", {{"tok-auditor", ok}, {"tok-admin", no}, {"tok-seller-1", no}, {"tok-ingest", no}}},
      {"POST", "/v1/settlements/2026-10/close", {{"tok-admin", ok}, {"tok-auditor", no}, {"tok-ingest", no}, {"tok-seller-1", no}}},
  };
}

HttpReply Call(const ServeProcess& server, const std::string& token, const RouteCase& c) {
  auto client = server.Client(token);
  return std::string(c.method) == "GET" ? Get(*client, c.path) : Post(*client, c.path, "");
}

TEST_F(ServeApi, EveryProtectedRouteAnswers401WithoutOrWithAWrongToken) {
  for (const RouteCase& c : RouteCases()) {
    for (const std::string token : {"", "not-a-token"}) {
      const HttpReply r = Call(*server_, token, c);
      EXPECT_EQ(r.status, 401) << c.method << " " << c.path << " token '" << token << "'";
      EXPECT_EQ(r.body["error"]["code"], "unauthorized") << r.text;
    }
  }
  auto result = server_->Client()->Get("/v1/audit/verify");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), "Bearer");
}

TEST_F(ServeApi, EveryRoleGetsWhatItsRoleAllowsAndIsRefusedTheRest) {
  for (const RouteCase& c : RouteCases()) {
    for (const auto& [token, status] : c.status_by_token) {
      const HttpReply r = Call(*server_, token, c);
      EXPECT_EQ(r.status, status) << c.method << " " << c.path << " as " << token << ": " << r.text;
      if (status == 403) {
        EXPECT_EQ(r.body["error"]["code"], "forbidden") << r.text;
      } else {
        EXPECT_TRUE(r.body.is_object()) << r.text;
      }
    }
  }
}

TEST_F(ServeApi, SellerSeesItsOrdersNewestFirstWithTheCliShape) {
  const HttpReply r = As("tok-seller-1", "/v1/sellers/S1/orders");
  ASSERT_EQ(r.status, 200) << r.text;
  ASSERT_EQ(r.body["orders"].size(), 3u);
  EXPECT_EQ(r.body["orders"][0]["order_id"], "ord-4");
  EXPECT_EQ(r.body["orders"][0]["status"], "voided");
  EXPECT_EQ(r.body["orders"][2]["payable"], "2000.00");
  EXPECT_TRUE(r.body["next_cursor"].is_null());
  const HttpReply page = As("tok-seller-1", "/v1/sellers/S1/orders?limit=1&status=unpaid");
  ASSERT_EQ(page.body["orders"].size(), 1u) << page.text;
  EXPECT_EQ(page.body["orders"][0]["order_id"], "ord-2");
}

TEST_F(ServeApi, OrderByIdGoesToItsOwnerOrAnAuditorWhoNamesTheSeller) {
  const HttpReply own = As("tok-seller-2", "/v1/orders/ord-1");
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_EQ(own.body["order"]["seller_id"], "S2");
  EXPECT_EQ(own.body["history"].size(), 2u);
  // Both sellers use the id: the auditor must say which.
  const HttpReply ambiguous = As("tok-auditor", "/v1/orders/ord-1");
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_NE(ambiguous.body["error"]["message"].get<std::string>().find("seller"), std::string::npos);
  EXPECT_EQ(As("tok-auditor", "/v1/orders/ord-1?seller=S1").body["order"]["seller_id"], "S1");
  const HttpReply missing = As("tok-seller-1", "/v1/orders/no-such-order");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "not_found");
}

TEST_F(ServeApi, ProductStrengthResolvesASellerTokenToItsOwnProduct) {
  const HttpReply own = As("tok-seller-1", "/v1/products/erp-std/strength?as_of=2026-10-31");
  ASSERT_EQ(own.status, 200) << own.text;
  EXPECT_EQ(own.body["product_id"], "erp-std");
  // Both sellers list erp-std: the auditor must say whose.
  const HttpReply ambiguous = As("tok-auditor", "/v1/products/erp-std/strength?as_of=2026-10-31");
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_EQ(ambiguous.body["error"]["message"], "product erp-std: several sellers list it; give seller");
  EXPECT_EQ(As("tok-seller-1", "/v1/products/no-such-product/strength").status, 404);
}

TEST_F(ServeApi, AdminClosesAPeriodAndTheStatementIsThenClosed) {
  const HttpReply close = Post(*server_->Client("tok-admin"), "/v1/settlements/2026-10/close", "");
  ASSERT_EQ(close.status, 200) << close.text;
  EXPECT_TRUE(close.body["closed"].is_array());
  EXPECT_TRUE(close.body["refused"].is_array());
  const HttpReply statement = As("tok-seller-1", "/v1/sellers/S1/settlements/2026-10");
  EXPECT_EQ(statement.body["status"], "closed") << statement.text;
  const auto metrics = ParseMetrics(As("", "/metrics").text);
  EXPECT_GE(metrics.at("ledger_settlement_closes_total"), 1);
}

TEST_F(ServeApi, BadParametersAreRefusedNamingTheParameter) {
  struct Case {
    std::string path, code, starts_with;
  };
  const std::vector<Case> cases = {
      {"/v1/sellers/S1/orders?limit=abc", "bad_parameter", "limit: "},
      {"/v1/sellers/S1/orders?limit=5000", "bad_parameter", "limit: must be 1..1000"},
      {"/v1/sellers/S1/orders?status=lost", "bad_parameter", "status: \"lost\" is not one of"},
      {"/v1/sellers/S1/orders?from=yesterday", "bad_parameter", "from: "},
      {"/v1/sellers/S1/orders?colour=red", "unknown_parameter", "colour: not a parameter of this route"},
      {"/v1/sellers/S1/settlements/October", "bad_parameter", "period: \"October\" is not YYYY-MM"},
      {"/v1/sellers/S1/invoices?as_of=soon", "bad_parameter", "as_of: "},
      {"/v1/sellers/S1/invoices?status=paid", "bad_parameter", "status: "},
      {"/v1/sellers/S1/strength?tier=gold", "bad_parameter", "tier: "},
      {"/v1/products/erp-std/strength?seller=S1&as_of=31/10", "bad_parameter", "as_of: "},
  };
  for (const Case& c : cases) {
    const HttpReply r = As("tok-auditor", c.path);
    EXPECT_EQ(r.status, 400) << c.path << ": " << r.text;
    EXPECT_EQ(r.body["error"]["code"], c.code) << c.path;
    EXPECT_TRUE(r.body["error"]["message"].get<std::string>().starts_with(c.starts_with))
        << c.path << ": " << r.body["error"]["message"];
  }
  const HttpReply close = Post(*server_->Client("tok-admin"), "/v1/settlements/2026-13/close", "");
  EXPECT_EQ(close.status, 400) << close.text;
  EXPECT_TRUE(close.body["error"]["message"].get<std::string>().starts_with("period: "));
}

TEST_F(ServeApi, UnknownRoutesAnswer404InJson) {
  const HttpReply r = As("tok-auditor", "/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["error"]["code"], "not_found");
  EXPECT_EQ(r.body["error"]["message"], "no route GET /v1/nothing-here");
}

TEST_F(ServeApi, TooManyHeaderLinesAre431) {
  httplib::Headers headers;
  for (int i = 0; i < 100; ++i) headers.emplace("X-Padding-" + std::to_string(i), "x");
  auto client = server_->Client("tok-auditor");
  auto result = client->Get("/v1/sellers/S1/orders", headers);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 431);
  EXPECT_EQ(json::parse(result->body)["error"]["code"], "headers_too_large");
}

TEST_F(ServeApi, RejectedEventsComeBackWithTheirLineAndCode) {
  const std::string body = std::string("\n") + "not json\n" +
                           R"({"type":"OrderPaid","event_id":"x-1","at":"2026-10-03T11:00:00+08:00","seller_id":"S1","order_id":"ord-none","cash":"1.00","voucher":"0.00"})" +
                           "\n" + Story("S1");
  const HttpReply r = Post(*server_->Client("tok-ingest"), "/v1/events", body);
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["summary"], json::parse(R"({"accepted":0,"duplicate":7,"rejected":2})"));
  ASSERT_EQ(r.body["rejected"].size(), 2u);
  EXPECT_EQ(r.body["rejected"][0]["line"], 2);
  EXPECT_EQ(r.body["rejected"][0]["code"], "malformed");
  EXPECT_EQ(r.body["rejected"][1]["line"], 3);
  EXPECT_EQ(r.body["rejected"][1]["event_id"], "x-1");
}

TEST_F(ServeApi, MetricsCountWhatTheApiDid) {
  const auto before = ParseMetrics(As("", "/metrics").text);
  const std::string path = "/v1/sellers/S2/orders";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(As("tok-seller-2", path).status, 200);
  httplib::Client metrics_client("127.0.0.1", server_->metrics_port());
  auto scraped = metrics_client.Get("/metrics");
  ASSERT_TRUE(scraped);
  EXPECT_EQ(scraped->status, 200);
  const auto after = ParseMetrics(scraped->body);
  const std::string key = R"(ledger_http_requests_total{method="GET",route="/v1/sellers/{s}/orders",status="200"})";
  ASSERT_TRUE(after.contains(key)) << scraped->body;
  EXPECT_EQ(after.at(key) - (before.contains(key) ? before.at(key) : 0), 3);
  // The set-up posted 14 events: 6 OrderPlaced... by type, summing to 14 at least.
  double accepted = 0;
  for (const auto& [name, value] : after) {
    if (name.starts_with("ledger_events_accepted_total{")) accepted += value;
  }
  EXPECT_GE(accepted, 14);
  EXPECT_EQ(after.at(R"(ledger_events_accepted_total{type="OrderPlaced"})"), 6);
  EXPECT_TRUE(after.contains(R"(ledger_rocksdb_property{name="rocksdb.estimate-live-data-size"})"));
  EXPECT_GT(after.at("ledger_disk_free_bytes"), 0);
  EXPECT_EQ(after.at(R"(ledger_projection_lag_events{projection="orders"})"), 0);
  EXPECT_GE(after.at("ledger_append_seconds_count"), 1);
  EXPECT_GE(after.at(R"(ledger_projection_apply_seconds_count{projection="settlement"})"), 1);
}

// The HTTP answers are the CLI's answers: same store, same clock.
TEST(Serve, AnswersEqualTheCliOnTheSameStore) {
  ScratchDir dir;
  const std::string store = dir.path() + "/store";
  const std::string stream = Output({LedgerBinary(), "gen", "--seed", "11", "--sellers", "3", "--orders", "300"});
  std::string seller = json::parse(stream.substr(0, stream.find('\n')))["seller_id"];
  std::map<std::string, json> http;
  std::vector<std::pair<std::string, std::vector<std::string>>> queries = {
      {"/v1/sellers/" + seller + "/orders?limit=20", {"orders", "--seller", seller, "--limit", "20"}},
      {"/v1/sellers/" + seller + "/orders?status=paid&kind=new", {"orders", "--seller", seller, "--status", "paid", "--kind", "new"}},
      {"/v1/sellers/" + seller + "/coupons", {"coupons", "--seller", seller}},
      {"/v1/sellers/" + seller + "/invoices", {"invoices", "--seller", seller}},
      {"/v1/sellers/" + seller + "/settlements/2026-10", {"settlement", "--seller", seller, "--period", "2026-10"}},
      {"/v1/sellers/" + seller + "/strength?as_of=2026-10-31", {"strength", "--seller", seller, "--as-of", "2026-10-31"}},
      {"/v1/audit/verify", {"verify"}},
  };
  {
    ServeProcess server(store, {"--now", kNow}, {"--no-timers"});
    const HttpReply ingest = Post(*server.Client("tok-ingest"), "/v1/events", stream);
    ASSERT_EQ(ingest.status, 200) << ingest.text;
    EXPECT_GT(ingest.body["summary"]["accepted"].get<int>(), 300);
    const HttpReply first = Get(*server.Client("tok-auditor"), "/v1/sellers/" + seller + "/orders?limit=1");
    ASSERT_EQ(first.body["orders"].size(), 1u) << first.text;
    const std::string order_id = first.body["orders"][0]["order_id"];
    queries.push_back({"/v1/orders/" + order_id + "?seller=" + seller, {"order", order_id, "--seller", seller}});
    for (const auto& [path, args] : queries) {
      const HttpReply r = Get(*server.Client("tok-auditor"), path);
      ASSERT_EQ(r.status, 200) << path << ": " << r.text;
      http[path] = r.body;
    }
    ASSERT_EQ(server.Stop(), 0) << server.stderr_text();
  }
  for (const auto& [path, args] : queries) {
    std::vector<std::string> argv = {LedgerBinary(), "--data", store, "--now", kNow, "--format", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    EXPECT_EQ(json::parse(Output(argv)), http[path]) << path;
  }
}

// Several clients at once, one per seller (each keeps its seller's order):
// every event is accepted once, the counts equal a plain `ingest` of the same
// stream, and the read models equal a replay of the server's own log.
TEST(Serve, ConcurrentIngestFromSeveralClientsLosesNothing) {
  ScratchDir dir;
  const std::string stream = Output({LedgerBinary(), "gen", "--seed", "5", "--sellers", "4", "--orders", "1500"});
  int code = 0;
  const json reference = json::parse(
      Output({LedgerBinary(), "--data", dir.path() + "/reference", "ingest", "-"}, &code, stream));
  std::map<std::string, std::vector<std::string>> by_seller;
  std::istringstream in(stream);
  for (std::string line; std::getline(in, line);) {
    by_seller[json::parse(line)["seller_id"].get<std::string>()].push_back(line);
  }
  ASSERT_EQ(by_seller.size(), 4u);

  const std::string store = dir.path() + "/store";
  json digests;
  {
    ServeProcess server(store, {"--now", kNow}, {"--no-timers"});
    std::atomic<uint64_t> accepted{0}, duplicate{0}, rejected{0}, failures{0};
    std::vector<std::thread> clients;
    for (const auto& [seller, lines] : by_seller) {
      clients.emplace_back([&, &lines = lines] {
        auto client = server.Client("tok-ingest");
        for (size_t i = 0; i < lines.size(); i += 50) {
          std::string body;
          for (size_t j = i; j < std::min(lines.size(), i + 50); ++j) body += lines[j] + "\n";
          auto result = client->Post("/v1/events", body, "application/x-ndjson");
          if (!result || result->status != 200) {
            ++failures;
            continue;
          }
          const json summary = json::parse(result->body)["summary"];
          accepted += summary["accepted"].get<uint64_t>();
          duplicate += summary["duplicate"].get<uint64_t>();
          rejected += summary["rejected"].get<uint64_t>();
        }
      });
    }
    for (std::thread& t : clients) t.join();
    EXPECT_EQ(failures, 0u);
    EXPECT_EQ(accepted, reference["summary"]["accepted"].get<uint64_t>());
    EXPECT_EQ(duplicate, reference["summary"]["duplicate"].get<uint64_t>());
    EXPECT_EQ(rejected, reference["summary"]["rejected"].get<uint64_t>());
    // Sending everything again adds nothing.
    const HttpReply again = Post(*server.Client("tok-ingest"), "/v1/events", stream);
    EXPECT_EQ(again.body["summary"]["accepted"], 0) << again.text;
    const HttpReply verify = Get(*server.Client("tok-auditor"), "/v1/audit/verify");
    EXPECT_EQ(verify.body["chain"], "ok") << verify.text;
    EXPECT_EQ(verify.body["events"], reference["summary"]["accepted"]);
    digests = verify.body["digests"];
    const auto metrics = ParseMetrics(Get(*server.Client(), "/metrics").text);
    EXPECT_GE(metrics.at("ledger_batch_requests_count"), 1);
    ASSERT_EQ(server.Stop(), 0) << server.stderr_text();
  }
  Output({LedgerBinary(), "--data", store, "export", "--out", dir.path() + "/archive"}, &code);
  ASSERT_EQ(code, 0);
  const json replayed = json::parse(
      Output({LedgerBinary(), "replay", "--from", dir.path() + "/archive", "--into", dir.path() + "/replayed"}, &code));
  EXPECT_EQ(replayed["digests"], digests);
}

TEST(Serve, BodiesOverTheLimitAre413) {
  ScratchDir dir;
  ServeProcess server(dir.path() + "/store", {}, {"--no-timers", "--body-max-bytes", "4096"});
  const std::string small = Story("S1");
  ASSERT_LT(small.size(), 4096u);
  EXPECT_EQ(Post(*server.Client("tok-ingest"), "/v1/events", small).status, 200);
  std::string big;
  while (big.size() <= 4096) big += small;
  const HttpReply r = Post(*server.Client("tok-ingest"), "/v1/events", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body["error"]["code"], "payload_too_large");
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("4096"), std::string::npos);
  // Without a token the answer is 401 before the size matters.
  EXPECT_EQ(Post(*server.Client(), "/v1/events", big).status, 401);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, TimersRunOnTheWallClock) {
  ScratchDir dir;
  ServeProcess server(dir.path() + "/store", {});  // no --now: the wall clock, after October 2026
  ASSERT_EQ(Post(*server.Client("tok-ingest"), "/v1/events", Story("S1")).body["summary"]["accepted"], 7);
  std::string status;
  for (int i = 0; i < 100 && status != "voided"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = Get(*server.Client("tok-seller-1"), "/v1/orders/ord-2").body["order"]["status"];
  }
  EXPECT_EQ(status, "voided");  // unpaid past its expiry: the OrderExpired timer fired
  const auto metrics = ParseMetrics(Get(*server.Client(), "/metrics").text);
  double timer_events = 0;
  for (const auto& [name, value] : metrics) {
    if (name.starts_with("ledger_timer_events_total{")) timer_events += value;
  }
  EXPECT_GE(timer_events, 1);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, SighupReloadsTheTokensFile) {
  ScratchDir dir;
  ServeProcess server(dir.path() + "/store", {}, {"--no-timers"});
  EXPECT_EQ(Get(*server.Client("tok-auditor"), "/v1/audit/verify").status, 200);
  WriteFile(server.tokens_path(), TokensFile({{"tok-rotated", "auditor"}}));
  server.Signal(SIGHUP);
  int status = 0;
  for (int i = 0; i < 100 && status != 401; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = Get(*server.Client("tok-auditor"), "/v1/audit/verify").status;
  }
  EXPECT_EQ(status, 401);
  EXPECT_EQ(Get(*server.Client("tok-rotated"), "/v1/audit/verify").status, 200);
  // A broken file is refused and the tokens stay.
  WriteFile(server.tokens_path(), "not-a-hash auditor\n");
  server.Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Get(*server.Client("tok-rotated"), "/v1/audit/verify").status, 200);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_NE(server.stderr_text().find("kept the old tokens"), std::string::npos) << server.stderr_text();
}

// SIGTERM while a request is half sent: the server stops accepting, still
// answers that request in full, and exits 0 with its events on disk.
TEST(Serve, SigtermFinishesTheRequestInFlightAndExitsZero) {
  ScratchDir dir;
  const std::string store = dir.path() + "/store";
  ServeProcess server(store, {}, {"--no-timers"});
  const std::string body = Story("S1");
  httplib::Client raw("127.0.0.1", server.http_port());
  std::atomic<int> status{0};
  std::string reply;
  // A content provider that sends half, waits for the signal, then the rest.
  std::atomic<bool> signalled{false};
  std::thread sender([&] {
    httplib::Headers headers = {{"Authorization", "Bearer tok-ingest"}};
    auto result = raw.Post(
        "/v1/events", headers, body.size(),
        [&](size_t offset, size_t length, httplib::DataSink& sink) {
          const size_t half = body.size() / 2;
          if (offset < half) {
            sink.write(body.data(), half);
            return true;
          }
          while (!signalled) std::this_thread::sleep_for(std::chrono::milliseconds(5));
          sink.write(body.data() + offset, body.size() - offset);
          return true;
        },
        "application/x-ndjson");
    if (result) {
      status = result->status;
      reply = result->body;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  signalled = true;
  sender.join();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(json::parse(reply)["summary"]["accepted"], 7) << reply;
  EXPECT_EQ(server.Stop(), 0) << server.stderr_text();
  int code = 0;
  const json verify = json::parse(Output({LedgerBinary(), "--data", store, "verify"}, &code));
  EXPECT_EQ(code, 0);
  EXPECT_EQ(verify["events"], 7);
}

}  // namespace
}  // namespace mkt::test

namespace mkt::test {
namespace {

TEST(Serve, UsageErrorsExitTwoAndNameTheOption) {
  ScratchDir dir;
  const ProcessResult address = RunProcess({LedgerBinary(), "--data", dir.path() + "/store", "serve", "--http", "nope"});
  EXPECT_EQ(address.exit_code, 2);
  EXPECT_EQ(address.err, "ledger: --http: \"nope\" is not HOST:PORT\n");
  WriteFile(dir.path() + "/tokens", "plain-token auditor\n");
  const ProcessResult tokens =
      RunProcess({LedgerBinary(), "--data", dir.path() + "/store", "serve", "--tokens", dir.path() + "/tokens"});
  EXPECT_EQ(tokens.exit_code, 2);
  EXPECT_NE(tokens.err.find("/tokens line 1: the first word must be a token's SHA-256"), std::string::npos) << tokens.err;
}

}  // namespace
}  // namespace mkt::test
