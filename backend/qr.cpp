// QR codes as SVG and PNG (see qr.hpp).
#include "qr.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <memory>
#include <vector>

namespace npsd {

namespace {

constexpr int kQuiet = 4;

struct Matrix {
  int width = 0;
  std::vector<bool> dark;
  [[nodiscard]] bool at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= width) return false;
    return dark[static_cast<std::size_t>(y * width + x)];
  }
};

std::optional<Matrix> encode(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                       &QRcode_free);
  if (!code) return std::nullopt;
  Matrix m;
  m.width = code->width;
  m.dark.resize(static_cast<std::size_t>(m.width * m.width));
  for (std::size_t i = 0; i < m.dark.size(); ++i)
    m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

void put32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8)
    out += static_cast<char>((v >> s) & 0xff);
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  put32(out, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

} // namespace

std::optional<std::string> qr_svg(const std::string& text) {
  auto m = encode(text);
  if (!m) return std::nullopt;
  const int size = m->width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < m->width; ++y)
    for (int x = 0; x < m->width; ++x)
      if (m->at(x, y))
        path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" " +
         "fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

std::optional<std::string> qr_png(const std::string& text, int scale) {
  if (scale < 1 || scale > 40) return std::nullopt;
  auto m = encode(text);
  if (!m) return std::nullopt;
  const int px = (m->width + 2 * kQuiet) * scale;
  std::string raw;
  raw.reserve(static_cast<std::size_t>((px + 1) * px));
  for (int y = 0; y < px; ++y) {
    raw += '\0'; // filter: none
    for (int x = 0; x < px; ++x)
      raw += m->at(x / scale - kQuiet, y / scale - kQuiet) ? '\0' : '\xff';
  }
  uLongf len = compressBound(static_cast<uLong>(raw.size()));
  std::string z(len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 9) != Z_OK)
    return std::nullopt;
  z.resize(len);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put32(ihdr, static_cast<std::uint32_t>(px));
  put32(ihdr, static_cast<std::uint32_t>(px));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5); // 8-bit greyscale, deflate, no filter set, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", "");
  return png;
}

} // namespace npsd
