// The PostgreSQL peer (issue 9): the same generated event stream applied, in
// the same run, to (a) this ledger, durably, through the CLI's path, and (b)
// PostgreSQL the way a strong team would build it without a ledger: an events
// table with a unique (seller_id, event_id), an order-list read model with its
// newest-first index and a monthly statement table with running totals, all
// maintained set-based from a COPY-filled staging table, one transaction per
// batch of 4,096 events, synchronous_commit on (durable, like ours). Prints
// one JSON object with both sides' figures and the ratios.
//
// Honest scope: the peer validates nothing (no rules, no idempotency by
// content, no hash chain) and maintains fewer read models (no coupons,
// invoices, delivery or history), so it does less work per event than the
// ledger; ratios are therefore in the peer's favour.
//
//   pg_peer [--orders N] [--sellers N] [--conninfo "host=127.0.0.1 dbname=test user=postgres"]
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "CLI/CLI.hpp"
#include "bench/bench_support.h"
#include "ledger/limits.h"
#include "nlohmann/json.hpp"

namespace mkt::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;
constexpr size_t kBatch = limits::kIngestBatchEventsMax;
constexpr int kQueries = 1000;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

class Pg {
 public:
  explicit Pg(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die(std::string("postgres: ") + PQerrorMessage(conn_));
  }
  ~Pg() { PQfinish(conn_); }
  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string error = PQresultErrorMessage(r);
      PQclear(r);
      Die("postgres: " + error + " in: " + sql.substr(0, 200));
    }
    PQclear(r);
  }
  void Copy(const std::string& sql, const std::string& data) {
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) Die(std::string("postgres COPY: ") + PQerrorMessage(conn_));
    PQclear(r);
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1) {
      Die(std::string("postgres COPY: ") + PQerrorMessage(conn_));
    }
    r = PQgetResult(conn_);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string("postgres COPY: ") + PQresultErrorMessage(r));
    PQclear(r);
  }
  int Rows(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(std::string("postgres: ") + PQresultErrorMessage(r));
    const int rows = PQntuples(r);
    PQclear(r);
    return rows;
  }

 private:
  PGconn* conn_;
};

constexpr const char* kSchema = R"sql(
DROP TABLE IF EXISTS peer_events, peer_orders, peer_refunds, peer_statements;
CREATE TABLE peer_events (seq bigserial, seller_id text NOT NULL, event_id text NOT NULL,
  type text NOT NULL, at timestamptz NOT NULL, body jsonb NOT NULL, PRIMARY KEY (seller_id, event_id));
CREATE TABLE peer_orders (seller_id text, order_id text, product_id text, buyer_id text,
  kind text, channel text, status text, price bigint, paid_cash bigint DEFAULT 0,
  paid_voucher bigint DEFAULT 0, refunded bigint DEFAULT 0, placed_at timestamptz,
  paid_at timestamptz, PRIMARY KEY (seller_id, order_id));
CREATE INDEX peer_orders_by_time ON peer_orders (seller_id, placed_at DESC, order_id DESC);
CREATE TABLE peer_refunds (seller_id text, refund_id text, order_id text, amount bigint,
  status text, PRIMARY KEY (seller_id, refund_id));
CREATE TABLE peer_statements (seller_id text, period text, gross bigint, platform_fee bigint,
  seller_net bigint, line_count bigint, PRIMARY KEY (seller_id, period));
CREATE TEMP TABLE staging (n int, seller_id text, event_id text, type text, at timestamptz,
  body text, order_id text, product_id text, buyer_id text, kind text, channel text,
  amount bigint, cash bigint, voucher bigint, refund_id text) ON COMMIT DELETE ROWS;
SET synchronous_commit = on;
)sql";

// Set-based maintenance of the read models from the batch in `staging`.
constexpr const char* kApply = R"sql(
INSERT INTO peer_events (seller_id, event_id, type, at, body)
  SELECT seller_id, event_id, type, at, body::jsonb FROM staging ORDER BY n ON CONFLICT DO NOTHING;
INSERT INTO peer_orders (seller_id, order_id, product_id, buyer_id, kind, channel, status, price, placed_at)
  SELECT seller_id, order_id, product_id, buyer_id, kind, channel, 'unpaid', amount, at
  FROM staging WHERE type = 'OrderPlaced' ON CONFLICT DO NOTHING;
UPDATE peer_orders o SET price = s.amount FROM staging s
  WHERE s.type = 'OrderPriceChanged' AND o.seller_id = s.seller_id AND o.order_id = s.order_id;
UPDATE peer_orders o SET status = 'paid', paid_cash = s.cash, paid_voucher = s.voucher, paid_at = s.at
  FROM staging s WHERE s.type = 'OrderPaid' AND o.seller_id = s.seller_id AND o.order_id = s.order_id;
UPDATE peer_orders o SET status = 'voided' FROM staging s
  WHERE s.type = 'OrderVoided' AND o.seller_id = s.seller_id AND o.order_id = s.order_id;
INSERT INTO peer_refunds SELECT seller_id, refund_id, order_id, amount, 'pending'
  FROM staging WHERE type = 'RefundRequested' ON CONFLICT DO NOTHING;
UPDATE peer_refunds r SET status = CASE s.type WHEN 'RefundApproved' THEN 'approved' ELSE 'rejected' END
  FROM staging s WHERE s.type IN ('RefundApproved', 'RefundRejected')
  AND r.seller_id = s.seller_id AND r.refund_id = s.refund_id;
UPDATE peer_orders o SET refunded = o.refunded + x.amount,
  status = CASE WHEN o.refunded + x.amount = o.paid_cash + o.paid_voucher THEN 'refunded' ELSE 'partially_refunded' END
  FROM (SELECT r.seller_id, r.order_id, sum(r.amount) AS amount FROM staging s
        JOIN peer_refunds r ON r.seller_id = s.seller_id AND r.refund_id = s.refund_id
        WHERE s.type = 'RefundApproved' GROUP BY 1, 2) x
  WHERE o.seller_id = x.seller_id AND o.order_id = x.order_id;
INSERT INTO peer_statements
  SELECT seller_id, to_char((at + interval '5 days') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'),
         sum(cash + voucher), sum(((cash + voucher) * 1000 + 5000) / 10000),
         sum(cash + voucher - ((cash + voucher) * 1000 + 5000) / 10000), count(*)
  FROM staging WHERE type = 'OrderPaid' GROUP BY 1, 2
  ON CONFLICT (seller_id, period) DO UPDATE SET gross = peer_statements.gross + EXCLUDED.gross,
    platform_fee = peer_statements.platform_fee + EXCLUDED.platform_fee,
    seller_net = peer_statements.seller_net + EXCLUDED.seller_net,
    line_count = peer_statements.line_count + EXCLUDED.line_count;
)sql";

void CopyField(std::string* out, const Json& event, const char* key, bool money = false) {
  const auto it = event.find(key);
  if (it == event.end() || it->is_null()) {
    out->append("\\N");
  } else if (money) {
    const std::string text = it->get<std::string>();
    const auto fen = ParseMoney(text);
    out->append(fen ? std::to_string(fen->value()) : "\\N");  // "remaining": unknown to the peer
  } else if (it->is_string()) {
    for (char c : it->get<std::string>()) {
      if (c == '\\' || c == '\t' || c == '\n') out->push_back('\\');
      out->push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c);
    }
  } else {
    out->append(it->dump());
  }
  out->push_back('\t');
}

std::string StagingRow(const std::string& line, int n) {
  const Json e = Json::parse(line);
  std::string row = std::to_string(n) + '\t';
  for (const char* key : {"seller_id", "event_id", "type", "at"}) CopyField(&row, e, key);
  for (char c : line) {  // the raw event as jsonb text
    if (c == '\\') row.push_back('\\');
    row.push_back(c);
  }
  row.push_back('\t');
  for (const char* key : {"order_id", "product_id", "buyer_id", "kind", "channel"}) CopyField(&row, e, key);
  const char* amount_key = e.contains("list_price") ? "list_price" : e.contains("new_price") ? "new_price" : "amount";
  CopyField(&row, e, amount_key, true);
  CopyField(&row, e, "cash", true);
  CopyField(&row, e, "voucher", true);
  CopyField(&row, e, "refund_id");
  row.back() = '\n';
  return row;
}

double PeerIngest(Pg& pg, const std::vector<std::string>& lines) {
  pg.Exec(kSchema);
  const Clock::time_point start = Clock::now();
  for (size_t from = 0; from < lines.size(); from += kBatch) {
    std::string data;
    for (size_t i = from; i < std::min(lines.size(), from + kBatch); ++i) {
      data += StagingRow(lines[i], static_cast<int>(i - from));
    }
    pg.Exec("BEGIN");
    pg.Copy("COPY staging FROM STDIN", data);
    pg.Exec(kApply);
    pg.Exec("COMMIT");  // synchronous_commit = on: durable when this returns
  }
  return Seconds(start);
}

double OursIngest(const std::string& dir, const std::vector<std::string>& lines, uint64_t* accepted) {
  auto stack = OpenLedgerStack(dir, ReadModels::kLikeCli);
  JsonDecoder decoder;
  const Clock::time_point start = Clock::now();
  for (size_t from = 0; from < lines.size(); from += kBatch) {
    std::vector<DecodeResult> decoded;
    std::vector<const DecodedEvent*> events;
    for (size_t i = from; i < std::min(lines.size(), from + kBatch); ++i) decoded.push_back(decoder.Decode(lines[i]));
    for (const DecodeResult& d : decoded) {
      if (d.event) events.push_back(&*d.event);
    }
    std::vector<EventResult> results;
    if (const std::string error = stack->ledger().Process(events, &results); !error.empty()) Die(error);
    for (const EventResult& r : results) *accepted += r.outcome == Outcome::kAccepted;
  }
  return Seconds(start);
}

std::pair<double, double> Percentiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[us.size() * 99 / 100]};
}

std::string SellerName(int index) {
  char seller[16];
  std::snprintf(seller, sizeof(seller), "s%04d", index + 1);
  return seller;
}

}  // namespace
}  // namespace mkt::bench

int main(int argc, char** argv) {
  using namespace mkt;
  using namespace mkt::bench;
  gen::GenOptions options;
  options.orders = 100'000;
  options.sellers = 50;
  std::string conninfo = "host=127.0.0.1 dbname=test user=postgres";
  CLI::App app{"pg_peer: this ledger and a PostgreSQL peer on the same stream, in one run"};
  app.add_option("--orders", options.orders, "orders to generate")->capture_default_str();
  app.add_option("--sellers", options.sellers, "sellers")->capture_default_str();
  app.add_option("--conninfo", conninfo, "libpq connection string")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::vector<std::string> lines = GenerateLines(options);
  TempDir dir("pg-peer");
  uint64_t accepted = 0;
  const double ours_seconds = OursIngest(dir.path(), lines, &accepted);
  Pg pg(conninfo);
  const double peer_seconds = PeerIngest(pg, lines);

  auto stack = OpenLedgerStack(dir.path(), ReadModels::kLikeCli);
  std::mt19937_64 random(1);
  std::vector<double> ours_us, peer_us;
  for (int q = 0; q < kQueries; ++q) {
    const std::string seller = SellerName(static_cast<int>(random() % static_cast<uint64_t>(options.sellers)));
    OrderListQuery query;
    query.seller_id = seller;
    query.limit = 50;
    Clock::time_point t = Clock::now();
    if (std::holds_alternative<std::string>(stack->projections().orders.List(query))) Die("list failed");
    ours_us.push_back(Seconds(t) * 1e6);
    t = Clock::now();
    pg.Rows("SELECT * FROM peer_orders WHERE seller_id = $1 ORDER BY placed_at DESC, order_id DESC LIMIT 50",
            {seller});
    peer_us.push_back(Seconds(t) * 1e6);
  }
  const auto [ours_p50, ours_p99] = Percentiles(ours_us);
  const auto [peer_p50, peer_p99] = Percentiles(peer_us);
  const double events = static_cast<double>(lines.size());
  const Json out{{"events", lines.size()},
                 {"accepted", accepted},
                 {"ours_ingest_events_per_second", events / ours_seconds},
                 {"peer_ingest_events_per_second", events / peer_seconds},
                 {"ingest_ratio_ours_over_peer", peer_seconds / ours_seconds},
                 {"ours_order_list_us_p50", ours_p50},
                 {"ours_order_list_us_p99", ours_p99},
                 {"peer_order_list_us_p50", peer_p50},
                 {"peer_order_list_us_p99", peer_p99}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
