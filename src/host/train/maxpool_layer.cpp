// MaxPool2D (VALID, like Keras' default): the gradient goes to the first maximum of each window.
#include "host/train/layers.hpp"

namespace earshot::train {

void maxpool_forward(MaxPool2DLayer& l, const Tensor& x, Tensor& y) {
    l.in_shape = x.shape;
    const int n = x.dim(0), ih = x.dim(1), iw = x.dim(2), c = x.dim(3);
    const int oh = (ih - l.pool_h) / l.stride_h + 1, ow = (iw - l.pool_w) / l.stride_w + 1;
    y = Tensor({n, oh, ow, c});
    l.argmax.assign(y.size(), 0);
    size_t o = 0;
    for (int b = 0; b < n; ++b) {
        for (int oy = 0; oy < oh; ++oy) {
            for (int ox = 0; ox < ow; ++ox) {
                for (int ch = 0; ch < c; ++ch, ++o) {
                    size_t best = 0;
                    bool first = true;
                    for (int py = 0; py < l.pool_h; ++py) {
                        for (int px = 0; px < l.pool_w; ++px) {
                            const size_t i = ((static_cast<size_t>(b) * static_cast<size_t>(ih) + static_cast<size_t>(oy * l.stride_h + py)) * static_cast<size_t>(iw) +
                                              static_cast<size_t>(ox * l.stride_w + px)) * static_cast<size_t>(c) + static_cast<size_t>(ch);
                            if (first || x.values[i] > x.values[best]) best = i;
                            first = false;
                        }
                    }
                    l.argmax[o] = static_cast<uint32_t>(best);
                    y.values[o] = x.values[best];
                }
            }
        }
    }
}

void maxpool_backward(const MaxPool2DLayer& l, const Tensor& dy, Tensor& dx) {
    dx = Tensor(l.in_shape);
    for (size_t o = 0; o < dy.size(); ++o) dx.values[l.argmax[o]] += dy.values[o];
}

}  // namespace earshot::train
