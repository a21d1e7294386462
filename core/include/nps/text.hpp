// Text checks shared by every record: UTF-8 validity, length in code points, trimming.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nps {

// Length in bytes of the well-formed UTF-8 sequence at s[i] (1 for ASCII), or 0 when the
// bytes there are not one (RFC 3629: no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and code points
// above U+10FFFF are invalid), or nullopt when the text is valid.
[[nodiscard]] std::optional<std::size_t> invalid_utf8_at(std::string_view s) noexcept;
[[nodiscard]] inline bool is_valid_utf8(std::string_view s) noexcept { return !invalid_utf8_at(s); }

// Number of code points; the text must be valid UTF-8.
[[nodiscard]] std::size_t code_points(std::string_view s) noexcept;

// Removes leading and trailing white space, including no-break (U+00A0), ideographic
// (U+3000, common in Chinese and Japanese input) and zero-width (U+200B, U+FEFF) spaces.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

// Turns CR LF and CR into LF, drops control characters other than tab and LF, then trims:
// normalising a normalised text changes nothing. The text must be valid UTF-8.
[[nodiscard]] std::string normalize_text(std::string_view s);

} // namespace nps
