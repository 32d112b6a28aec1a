/** Numbers in the wording of export messages and manifest statements: "1,234 personas", "1 draw". */
export const fmt = new Intl.NumberFormat('en-US');
export const plural = (n: number, one: string, many = `${one}s`) => `${fmt.format(n)} ${n === 1 ? one : many}`;
