// QR codes of link-survey addresses (issue 14), encoded by libqrencode (error correction
// level M, a 4-module quiet zone), written as SVG (one path) or PNG (8-bit grey, zlib).
#pragma once

#include <optional>
#include <string>

namespace npsd {

// nullopt when the text does not fit a QR code.
[[nodiscard]] std::optional<std::string> qr_svg(const std::string& text);
// `scale` pixels per module (1..40).
[[nodiscard]] std::optional<std::string> qr_png(const std::string& text, int scale);

} // namespace npsd
