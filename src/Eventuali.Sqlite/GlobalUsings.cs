// What this backend takes from Core: the public backend surface.
global using Eventuali.Extensibility;
