"""Knobs of post-training quantization (`converter.quantization`), with TensorFlow's defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuantizationOptions:
    """Thresholds and choices of tflc's post-training quantization."""

    min_weight_elements: int = 1024
    """Dynamic range: weights with fewer elements stay float (TensorFlow's threshold)."""
    float16_min_elements: int = 16
    """Float16: float32 constants with fewer elements stay float32."""
    per_channel_dense: bool = True
    """Quantize fully_connected weights per output channel, as TensorFlow 2.16+ does (False: per tensor)."""
    max_calibration_samples: int | None = None
    """Use at most this many representative samples (None: all of them)."""
    measure_error: bool = True
    """Run the float and quantized models on the calibration data for the report."""
