// What the URL opener and the migrators take from Core: the public backend surface.
global using Eventuali.Extensibility;
