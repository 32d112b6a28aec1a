/** The bundled world-atlas countries-110m TopoJSON (no network at run time), checked once as the topology it is. */
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json';

export type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** The JSON's inferred type reads every `type` as a string where TopoJSON has literals: the shape the map uses is checked instead of asserted. */
function isCountriesTopology(x: unknown): x is CountriesTopology {
  if (!isObject(x) || x.type !== 'Topology' || !Array.isArray(x.arcs) || !isObject(x.objects)) return false;
  const countries = x.objects.countries;
  return (
    isObject(countries) &&
    countries.type === 'GeometryCollection' &&
    Array.isArray(countries.geometries) &&
    countries.geometries.every(
      (g: unknown) => isObject(g) && (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.arcs) && isObject(g.properties) && typeof g.properties.name === 'string',
    )
  );
}

/** The atlas as a TopoJSON topology of named country polygons; throws if the package's file is not one. */
export function countriesTopology(): CountriesTopology {
  const topology: unknown = atlas;
  if (!isCountriesTopology(topology)) throw new Error('world-atlas/countries-110m.json is not a TopoJSON topology of country polygons');
  return topology;
}
