// `strength --product P [--seller S] [--as-of D]` and `strength --seller S
// [--tier T] [--as-of D]` (INTERFACE.md): the 30-day product-strength score.
#include <cstdio>

#include "ledger/keys.h"
#include "ops/cli/answers.h"

namespace mkt::cli {
namespace {

void PrintTable(const std::vector<StrengthScore>& scores) {
  std::printf("%-24s %-10s %8s  %s\n", "PRODUCT", "TIER", "SCORE", "DIMENSIONS (score x weight)");
  for (const StrengthScore& s : scores) {
    std::string dims;
    for (const StrengthDimension& d : s.dimensions) {
      char part[64];
      const int name_size = static_cast<int>(d.name.size());
      std::snprintf(part, sizeof(part), d.included ? "%.*s %.1fx%d  " : "%.*s -  ", name_size, d.name.data(),
                    d.score, d.weight);
      dims += part;
    }
    std::printf("%-24s %-10s %8.2f  %s\n", s.product_id.c_str(), s.tier.c_str(), s.score, dims.c_str());
  }
}

}  // namespace

std::vector<std::string> SellersOfProduct(Store& store, std::string_view product) {
  std::vector<std::string> sellers;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.cf(kCfStrength)));
  for (it->Seek("P"); it->Valid() && it->key().starts_with("P"); it->Next()) {
    const std::string_view key = it->key().ToStringView().substr(1);
    const size_t nul = key.find('\0');
    if (key.substr(nul + 1) == product) sellers.emplace_back(key.substr(0, nul));
  }
  return sellers;
}

std::variant<StrengthScores, CommandError> StrengthAnswer(Context& ctx, const StrengthArgs& args) {
  if (args.product.empty() == args.seller.empty() && args.product.empty()) {
    return CommandError{kExitUsage, "strength: give --product P or --seller S"};
  }
  static const std::vector<std::string> kTiers = {"super", "premium", "potential", "ordinary"};
  if (!args.tier.empty() && std::find(kTiers.begin(), kTiers.end(), args.tier) == kTiers.end()) {
    return CommandError{kExitUsage, "--tier: \"" + args.tier + "\" is not one of super|premium|potential|ordinary"};
  }
  int32_t day = 0;
  if (args.as_of.empty()) {
    day = LocalDay(ctx.Now(), ctx.tz());
  } else if (auto parsed = ParseDate(args.as_of)) {
    day = *parsed;
  } else {
    return CommandError{kExitUsage, "--as-of: \"" + args.as_of + "\" is not a date YYYY-MM-DD"};
  }
  if (auto error = ctx.OpenStore()) return *error;
  const StrengthProjection& strength = ctx.projections().strength;
  if (!args.product.empty()) {
    std::string seller = args.seller;
    if (seller.empty()) {
      const auto sellers = SellersOfProduct(ctx.store(), args.product);
      if (sellers.size() != 1) {
        return CommandError{kExitUsage, "--product " + args.product +
                                            (sellers.empty() ? ": no seller lists it" : ": several sellers list it; give --seller"),
                            /*not_found=*/sellers.empty()};
      }
      seller = sellers.front();
    }
    const auto score = strength.Score(seller, args.product, day);
    if (!score) {
      return CommandError{kExitUsage, "--product " + args.product + ": not listed by seller " + seller,
                          /*not_found=*/true};
    }
    return StrengthScores{.single = true, .scores = {*score}};
  }
  std::vector<StrengthScore> ranked = strength.Ranking(args.seller, day);
  if (!args.tier.empty()) {
    std::erase_if(ranked, [&](const StrengthScore& s) { return s.tier != args.tier; });
  }
  return StrengthScores{.single = false, .scores = std::move(ranked)};
}

Json StrengthScoresJson(const StrengthScores& scores) {
  if (scores.single) return StrengthJson(scores.scores.front());
  Json products = Json::array();
  for (const StrengthScore& s : scores.scores) products.push_back(StrengthJson(s));
  return Json{{"products", std::move(products)}};
}

int RunStrength(Context& ctx, const StrengthArgs& args) {
  auto answer = StrengthAnswer(ctx, args);
  if (auto* error = std::get_if<CommandError>(&answer)) return Fail(*error);
  const StrengthScores& scores = std::get<StrengthScores>(answer);
  if (ctx.json()) {
    PrintJson(StrengthScoresJson(scores));
  } else {
    PrintTable(scores.scores);
  }
  return kExitOk;
}

}  // namespace mkt::cli
