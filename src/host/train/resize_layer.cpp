// Resize with TensorFlow's index conventions, so the trained model sees exactly the pixels the
// int8 runtime will pick (nearest uses the runtime's own index map).
#include <algorithm>
#include <cmath>

#include "host/nn/quant_params.hpp"
#include "host/train/layers.hpp"

namespace earshot::train {
namespace {

struct Tap {
    int lower = 0, upper = 0;
    float weight_upper = 0.0f;  // 1 - weight on lower
};

// TF's bilinear source coordinate: (out + 0.5) * scale - 0.5 with half-pixel centres,
// out * scale otherwise; neighbours clamped into the image.
std::vector<Tap> bilinear_taps(int in, int out, bool half_pixel_centers) {
    std::vector<Tap> taps(static_cast<size_t>(out));
    const float scale = static_cast<float>(in) / static_cast<float>(out);
    for (int o = 0; o < out; ++o) {
        const float src = half_pixel_centers ? (static_cast<float>(o) + 0.5f) * scale - 0.5f : static_cast<float>(o) * scale;
        const float lower = std::floor(src);
        Tap& t = taps[static_cast<size_t>(o)];
        t.lower = std::max(static_cast<int>(lower), 0);
        t.upper = std::min(static_cast<int>(std::ceil(src)), in - 1);
        t.weight_upper = src - lower;
    }
    return taps;
}

std::vector<Tap> nearest_taps(int in, int out, bool half_pixel_centers) {
    const auto map = nn::nearest_neighbor_map(in, out, false, half_pixel_centers);
    std::vector<Tap> taps(map.size());
    for (size_t i = 0; i < map.size(); ++i) taps[i] = {map[i], map[i], 0.0f};
    return taps;
}

// One routine for both directions: forward gathers dst from src, backward scatters dy into dx.
template <bool kBackward>
void resample(const ResizeLayer& l, const float* from, float* to) {
    const int n = l.in_shape[0], ih = l.in_shape[1], iw = l.in_shape[2], c = l.in_shape[3];
    const bool nearest = l.method == ResizeMethod::nearest;
    const auto ty = nearest ? nearest_taps(ih, l.height, l.half_pixel_centers) : bilinear_taps(ih, l.height, l.half_pixel_centers);
    const auto tx = nearest ? nearest_taps(iw, l.width, l.half_pixel_centers) : bilinear_taps(iw, l.width, l.half_pixel_centers);
    const size_t in_item = static_cast<size_t>(ih) * static_cast<size_t>(iw) * static_cast<size_t>(c);
    const size_t out_item = static_cast<size_t>(l.height) * static_cast<size_t>(l.width) * static_cast<size_t>(c);
    for (int b = 0; b < n; ++b) {
        for (int oy = 0; oy < l.height; ++oy) {
            const Tap& y = ty[static_cast<size_t>(oy)];
            for (int ox = 0; ox < l.width; ++ox) {
                const Tap& x = tx[static_cast<size_t>(ox)];
                const int rows[4] = {y.lower, y.lower, y.upper, y.upper};
                const int cols[4] = {x.lower, x.upper, x.lower, x.upper};
                const float w[4] = {(1 - y.weight_upper) * (1 - x.weight_upper), (1 - y.weight_upper) * x.weight_upper,
                                    y.weight_upper * (1 - x.weight_upper), y.weight_upper * x.weight_upper};
                const size_t out_base = static_cast<size_t>(b) * out_item + (static_cast<size_t>(oy) * static_cast<size_t>(l.width) + static_cast<size_t>(ox)) * static_cast<size_t>(c);
                for (int k = 0; k < (nearest ? 1 : 4); ++k) {
                    const float wk = nearest ? 1.0f : w[k];
                    const size_t in_base = static_cast<size_t>(b) * in_item + (static_cast<size_t>(rows[k]) * static_cast<size_t>(iw) + static_cast<size_t>(cols[k])) * static_cast<size_t>(c);
                    for (int ch = 0; ch < c; ++ch) {
                        if constexpr (kBackward) {
                            to[in_base + static_cast<size_t>(ch)] += wk * from[out_base + static_cast<size_t>(ch)];
                        } else {
                            to[out_base + static_cast<size_t>(ch)] += wk * from[in_base + static_cast<size_t>(ch)];
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

void resize_forward(ResizeLayer& l, const Tensor& x, Tensor& y) {
    l.in_shape = x.shape;
    y = Tensor({x.dim(0), l.height, l.width, x.dim(3)});
    resample<false>(l, x.data(), y.data());
}

void resize_backward(const ResizeLayer& l, const Tensor& dy, Tensor& dx) {
    dx = Tensor(l.in_shape);
    resample<true>(l, dy.data(), dx.data());
}

}  // namespace earshot::train
