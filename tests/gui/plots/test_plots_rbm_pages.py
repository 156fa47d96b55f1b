import threading

import numpy as np
from plots_rbm_model import TrainedRbm

from workbench.gui.plots.weights import WeightsView


def test_rbm_units_reconstructions_and_samples(qtbot, digits_small):
    model = TrainedRbm(digits_small, hidden=12, epochs=3)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    assert list(view.pages) == ["RBM units", "Reconstructions", "Samples"]
    units = view.pages["RBM units"].mosaic
    assert units.tile_count == 12 and units.tile_shape == (8, 8)
    np.testing.assert_allclose(units.tiles.reshape(12, 64), model.rbm_weights(0))
    recon = view.pages["Reconstructions"]
    recon.first.setValue(3)
    tiles = recon.mosaic.tiles
    assert tiles.shape == (20, 8, 8)  # ten inputs above their ten reconstructions
    # The inputs as the model sees them (scaled to [0, 1]), on the reconstructions' scale.
    np.testing.assert_allclose(tiles[0].ravel(), model.geometry.flat(
        digits_small.select_rows([2]))[0] / model.scale)
    np.testing.assert_allclose(tiles[10].ravel(), model.reconstruct(digits_small, [2])[0],
                               rtol=1e-5)
    samples = view.pages["Samples"]
    qtbot.waitUntil(lambda: not samples.sampling, timeout=60000)
    samples.steps.setValue(5)
    samples.refresh()
    qtbot.waitUntil(lambda: not samples.sampling, timeout=60000)
    assert samples.mosaic.title.text() == "20 samples after 5 Gibbs steps"
    assert samples.mosaic.tile_count == 20 and samples.mosaic.tile_shape == (8, 8)
    assert np.all((samples.mosaic.tiles >= 0) & (samples.mosaic.tiles <= 1))


def test_the_real_dbn_shows_units_scaled_inputs_beside_reconstructions(qtbot, digits_small):
    from workbench.classifiers.dbn import DeepBeliefNetwork

    model = DeepBeliefNetwork(hidden_layers=(16,), pretrain_epochs=2, finetune_epochs=1,
                              seed=1).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    assert list(view.pages) == ["RBM units", "Reconstructions", "Samples"]
    units = view.pages["RBM units"].mosaic
    assert units.tile_count == 16 and units.tile_shape == (8, 8)
    np.testing.assert_allclose(units.tiles.reshape(16, 64), model.rbm_weights(0), rtol=1e-5)
    recon = view.pages["Reconstructions"]
    recon.first.setValue(1)
    tiles = recon.mosaic.tiles
    np.testing.assert_allclose(tiles[0].ravel(), model.encode(digits_small, [0])[0], rtol=1e-5)
    np.testing.assert_allclose(tiles[10].ravel(), model.reconstruct(digits_small, [0])[0],
                               rtol=1e-5)
    assert tiles.max() <= 1.0 + 1e-6


class HeldSampler:
    """A sampler that stays inside ``sample`` until the test lets it go."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self.threads: list[int] = []

    def sample(self, n: int, steps: int, seed: int) -> np.ndarray:
        self.threads.append(threading.get_ident())
        self.inside.set()
        assert self.release.wait(120), "the test never let the sampler go"
        return np.full((n, 4), 0.5)


def test_sampling_runs_off_the_gui_thread_and_shows_sampling_meanwhile(qtbot):
    from workbench.gui.plots.rbm_pages import SamplePage

    sampler = HeldSampler()
    page = SamplePage(sampler)  # the first refresh returns with the sampler held
    qtbot.addWidget(page)
    try:
        assert sampler.inside.wait(60)
        assert page.sampling and not page.button.isEnabled()
        assert page.mosaic.title.text().startswith("sampling...")
        assert sampler.threads[0] != threading.get_ident()
        page.refresh()  # a second click while sampling starts nothing more
    finally:
        sampler.release.set()
    qtbot.waitUntil(lambda: not page.sampling, timeout=60000)
    assert len(sampler.threads) == 1 and page.button.isEnabled()
    assert page.mosaic.tile_count == 20
    assert page.mosaic.title.text() == "20 samples after 1000 Gibbs steps"


def test_a_sampling_error_is_shown_on_the_page(qtbot):
    from workbench.core.errors import WorkbenchError
    from workbench.gui.plots.rbm_pages import SamplePage

    class Broken:
        def sample(self, n, steps, seed):
            raise WorkbenchError("no RBM has been trained yet")

    page = SamplePage(Broken())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.sampling, timeout=60000)
    assert page.mosaic.title.text() == "sampling failed: no RBM has been trained yet"
