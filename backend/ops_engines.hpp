// issue 17: the two engines' OpsStore (ops_store.hpp), built on each engine's writer and
// read pool so an import joins the engine's group commit like any other write.
#pragma once

#include "ops_store.hpp"

#include <memory>

namespace npsd::sqlite {
class Writer;
class ReadPool;
[[nodiscard]] std::unique_ptr<OpsStore> make_ops(Writer& writer, ReadPool& readers);
} // namespace npsd::sqlite

namespace npsd::pg {
class Writer;
class Pool;
[[nodiscard]] std::unique_ptr<OpsStore> make_ops(Writer& writer, Pool& readers);
} // namespace npsd::pg
