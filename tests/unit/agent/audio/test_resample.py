import numpy as np
import pytest

from agent.audio.resample import StreamResampler


def _sine(rate: int, seconds: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return np.sin(2 * np.pi * freq * t).astype(np.float32)


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_chunked_stream_is_seamless_and_time_aligned(rate: int) -> None:
    signal = _sine(rate, 1.0)
    stereo = np.stack([signal, -signal], axis=1)
    resampler = StreamResampler(rate, 2)
    chunk = rate // 50  # 20 ms frames
    out = np.concatenate(
        [resampler.process(stereo[i : i + chunk]) for i in range(0, len(stereo), chunk)] + [resampler.flush()]
    )
    assert abs(len(out) - 16000) <= 1
    reference = _sine(16000, 1.0)
    middle = slice(1000, 15000)  # away from the filter's start-up and the end of the stream
    assert np.max(np.abs(out[middle, 0] - reference[middle])) < 1e-3
    assert np.allclose(out[:, 1], -out[:, 0], atol=1e-6)


def test_16k_input_passes_through_untouched() -> None:
    data = np.random.default_rng(0).standard_normal((320, 1)).astype(np.float32)
    resampler = StreamResampler(16000, 1)
    assert resampler.process(data) is data
    assert resampler.flush().shape == (0, 1)


def test_downsampling_removes_content_above_8k() -> None:
    tone = _sine(48000, 0.5, freq=12000)  # above 16 kHz's Nyquist frequency
    out = StreamResampler(48000, 1).process(tone[:, None])
    assert np.sqrt(np.mean(out[500:-500] ** 2)) < 0.01  # a linear interpolator would alias it to 4 kHz
