#include "projections/strength.h"

namespace mkt {

Json StrengthJson(const StrengthScore& score) {
  Json dimensions = Json::object();
  for (const StrengthDimension& d : score.dimensions) {
    if (!d.included) {
      dimensions[std::string(d.name)] = nullptr;
      continue;
    }
    Json factors = Json::object();
    for (const StrengthFactor& f : d.factors) factors[std::string(f.name)] = Json{{"value", f.value}, {"score", f.score}};
    dimensions[std::string(d.name)] = Json{{"score", d.score}, {"weight", d.weight}, {"factors", std::move(factors)}};
  }
  return Json{{"product_id", score.product_id},
              {"as_of", FormatDate(score.as_of)},
              {"window_from", FormatDate(score.as_of - 29)},
              {"window_to", FormatDate(score.as_of)},
              {"score", score.score},
              {"tier", score.tier},
              {"dimensions", std::move(dimensions)}};
}

}  // namespace mkt
