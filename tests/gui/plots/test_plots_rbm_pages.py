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
    samples.steps.setValue(5)
    samples.refresh()
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
