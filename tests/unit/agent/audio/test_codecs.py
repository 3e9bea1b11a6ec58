import numpy as np
import pytest

from agent.audio.codecs import ALAW_TO_PCM, MULAW_TO_PCM, AudioFormat, Encoding, decode, encode


def test_mulaw_expansion_matches_g711_reference_points() -> None:
    assert MULAW_TO_PCM[0x00] == -32124
    assert MULAW_TO_PCM[0x80] == 32124
    assert MULAW_TO_PCM[0xFF] == 0 and MULAW_TO_PCM[0x7F] == 0
    assert MULAW_TO_PCM[0xFE] == 8 and MULAW_TO_PCM[0x7E] == -8


def test_alaw_expansion_matches_g711_reference_points() -> None:
    assert ALAW_TO_PCM[0xD5] == 8 and ALAW_TO_PCM[0x55] == -8
    assert ALAW_TO_PCM[0xAA] == 32256 and ALAW_TO_PCM[0x2A] == -32256


@pytest.mark.parametrize("encoding", [Encoding.MULAW, Encoding.ALAW])
def test_g711_round_trip_is_exact_on_code_points(encoding: Encoding) -> None:
    codes = bytes(range(256))
    values = decode(codes, AudioFormat(encoding, 8000, 1))
    assert decode(encode(values, encoding), AudioFormat(encoding, 8000, 1)).tolist() == values.tolist()


@pytest.mark.parametrize("encoding", [Encoding.MULAW, Encoding.ALAW])
def test_g711_quantization_error_is_small_for_speech_levels(encoding: Encoding) -> None:
    t = np.arange(8000) / 8000
    signal = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    decoded = decode(encode(signal, encoding), AudioFormat(encoding, 8000, 1))[:, 0]
    snr = 10 * np.log10(np.sum(signal**2) / np.sum((decoded - signal) ** 2))
    assert snr > 30  # G.711 gives about 38 dB on a loud tone


def test_pcm_decode_deinterleaves_channels() -> None:
    left = np.array([1000, 2000, 3000], dtype="<i2")
    right = np.array([-1, -2, -3], dtype="<i2")
    data = np.stack([left, right], axis=1).tobytes()
    out = decode(data, AudioFormat(Encoding.PCM_S16LE, 16000, 2))
    assert out.shape == (3, 2)
    assert np.allclose(out[:, 0] * 32768, left) and np.allclose(out[:, 1] * 32768, right)


def test_decode_rejects_partial_frames() -> None:
    with pytest.raises(ValueError, match="whole number"):
        decode(b"\x00\x01\x02", AudioFormat(Encoding.PCM_S16LE, 16000, 1))
    with pytest.raises(ValueError, match="whole number"):
        decode(b"\x00\x01\x02", AudioFormat(Encoding.MULAW, 8000, 2))


def test_encode_clips_out_of_range_samples() -> None:
    out = decode(encode(np.array([2.0, -2.0]), Encoding.PCM_S16LE), AudioFormat(Encoding.PCM_S16LE, 16000, 1))
    assert out[0, 0] == pytest.approx(32767 / 32768) and out[1, 0] == -1.0


def test_format_sizes() -> None:
    fmt = AudioFormat(Encoding.PCM_S16LE, 16000, 2)
    assert fmt.frame_bytes == 4 and fmt.duration(64000) == 1.0
    assert AudioFormat(Encoding.MULAW, 8000, 1).frame_bytes == 1
