"""The booking station: a Qt-free core (`desktop.station`) and the Qt Widgets UI on top (`desktop.ui`)."""
